import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { SlaAlert } from '../../../server/domain/context';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, nextEvent } from '../../support/sockets';
import { openChat, openSlaQueue, type SlaQueue, slaTimeline, supervisedTeam } from './fixtures';

// Every priority gets the same short targets, so a priority raised by a breach (or by routing)
// leaves the deadlines where they are: first response 2 s (warning at 1 s), resolution 4 s.
const targets = { firstResponse: 2, resolution: 4 };
const hub = signedInHub({
  SLA_POLICIES: JSON.stringify({ urgent: targets, high: targets, normal: targets, low: targets }),
  SLA_WARNING_AT: '0.5',
});

const ALERT_TIMEOUT_MS = 8000;
jest.setTimeout(30_000);

let team: { teamId: string; supervisorId: string; console: Socket };
let sla: SlaQueue;
beforeAll(async () => {
  team = await supervisedTeam(hub);
  sla = await openSlaQueue(hub);
});
afterAll(async () => {
  closeAllSockets();
  await sla?.close();
});

/** The next alert of this kind about this conversation's target, and when it arrived. */
const alertArrival = (event: 'sla:warning' | 'sla:breached', conversationId: string, target: SlaAlert['target']) =>
  nextEvent<SlaAlert>(team.console, event, (alert) => alert.conversationId === conversationId && alert.target === target, ALERT_TIMEOUT_MS).then(
    (alert) => ({ alert, arrivedAt: Date.now() }),
  );

describe('SLA deadlines and alerts', () => {
  it('gives a conversation opened by a chat message its deadlines from the policy of its priority', async () => {
    const { conversationId } = await openChat(hub, team.teamId);

    const { body: conversation } = await hub.get(`/api/conversations/${conversationId}`).expect(200);

    expect(conversation.priority).toBe('normal');
    expect(Date.parse(conversation.firstResponseDueAt) - Date.parse(conversation.createdAt)).toBe(2000);
    expect(Date.parse(conversation.resolutionDueAt) - Date.parse(conversation.createdAt)).toBe(4000);
  });

  it("warns the team's supervisor, then records the breach once its deadline has passed and raises the priority one step per breach", async () => {
    const { conversationId, customerId } = await openChat(hub, team.teamId);
    const firstWarning = alertArrival('sla:warning', conversationId, 'first_response');
    const firstBreach = alertArrival('sla:breached', conversationId, 'first_response');
    const resolutionBreach = alertArrival('sla:breached', conversationId, 'resolution');
    const { body: opened } = await hub.get(`/api/conversations/${conversationId}`).expect(200);

    const warning = await firstWarning;
    const breach = await firstBreach;

    expect(warning.alert).toEqual({
      conversationId,
      target: 'first_response',
      stage: 'warning',
      dueAt: opened.firstResponseDueAt,
      teamId: team.teamId,
      priority: 'normal',
    });
    expect(breach.alert).toEqual({ ...warning.alert, stage: 'breach', priority: 'high' });
    expect(warning.arrivedAt).toBeLessThanOrEqual(breach.arrivedAt);
    expect(breach.arrivedAt).toBeGreaterThanOrEqual(Date.parse(breach.alert.dueAt));

    const resolution = await resolutionBreach;
    expect(resolution.alert).toMatchObject({ target: 'resolution', stage: 'breach', dueAt: opened.resolutionDueAt, priority: 'urgent' });
    expect(resolution.arrivedAt).toBeGreaterThanOrEqual(Date.parse(opened.resolutionDueAt));
    const { body: breached } = await hub.get(`/api/conversations/${conversationId}`).expect(200);
    expect(breached).toMatchObject({ priority: 'urgent', firstResponseDueAt: opened.firstResponseDueAt, resolutionDueAt: opened.resolutionDueAt });
    const [stored] = await hub.db.query<{ first: Date | null; resolution: Date | null }>(
      'SELECT first_response_breached_at AS first, resolution_breached_at AS resolution FROM conversations WHERE id = $1',
      [conversationId],
    );
    expect(stored!.first!.getTime()).toBeGreaterThanOrEqual(Date.parse(opened.firstResponseDueAt));
    expect(stored!.resolution!.getTime()).toBeGreaterThanOrEqual(Date.parse(opened.resolutionDueAt));
    // Each target's warning comes before its breach; the two targets' events may interleave.
    const timeline = await slaTimeline(hub, customerId);
    const ofTarget = (target: string) => timeline.filter((event) => event.data.target === target);
    expect(ofTarget('first_response')).toEqual([
      { kind: 'sla.warning', data: { conversationId, target: 'first_response', dueAt: opened.firstResponseDueAt } },
      { kind: 'sla.breached', data: { conversationId, target: 'first_response', dueAt: opened.firstResponseDueAt, priority: 'high' } },
    ]);
    expect(ofTarget('resolution')).toEqual([
      { kind: 'sla.warning', data: { conversationId, target: 'resolution', dueAt: opened.resolutionDueAt } },
      { kind: 'sla.breached', data: { conversationId, target: 'resolution', dueAt: opened.resolutionDueAt, priority: 'urgent' } },
    ]);
    expect(timeline).toHaveLength(4);
  });

  it('records no first-response breach when an agent answers before the deadline', async () => {
    const { conversationId, customerId } = await openChat(hub, team.teamId);
    await hub.post(`/api/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'Hi, how can I help?' }).expect(201);
    const { body: answered } = await hub.get(`/api/conversations/${conversationId}`).expect(200);
    const dueAt = answered.firstResponseDueAt;
    expect(Date.parse(answered.firstResponseAt)).toBeLessThan(Date.parse(dueAt));

    expect(await sla.outcome({ conversationId, target: 'first_response', stage: 'breach', dueAt })).toBe('met');

    const kinds = (await slaTimeline(hub, customerId)).filter((event) => event.data.target === 'first_response').map((event) => event.kind);
    expect(kinds).not.toContain('sla.breached');
    const [stored] = await hub.db.query('SELECT first_response_breached_at FROM conversations WHERE id = $1', [conversationId]);
    expect(stored).toEqual({ first_response_breached_at: null });
  });

  it('records no resolution breach for a conversation resolved before the deadline', async () => {
    const { conversationId, customerId } = await openChat(hub, team.teamId);
    const { body: resolved } = await hub.patch(`/api/conversations/${conversationId}`, { status: 'resolved' }).expect(200);
    const dueAt = resolved.resolutionDueAt;

    expect(await sla.outcome({ conversationId, target: 'resolution', stage: 'breach', dueAt })).toBe('met');
    expect(await sla.outcome({ conversationId, target: 'first_response', stage: 'breach', dueAt: resolved.firstResponseDueAt })).toBe('met');

    expect((await slaTimeline(hub, customerId)).map((event) => event.kind)).not.toContain('sla.breached');
    const { body: after } = await hub.get(`/api/conversations/${conversationId}`).expect(200);
    expect(after.priority).toBe('normal');
  });
});
