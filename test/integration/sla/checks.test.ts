import { Job } from 'bullmq';
import type { Socket } from 'socket.io-client';
import type { SlaAlert, SlaCheck } from '../../../server/domain/context';
import { refreshSla, runSlaCheck } from '../../../server/domain/sla';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, nextEvent } from '../../support/sockets';
import { openChat, openSlaQueue, type SlaQueue, slaJobId, slaTimeline, supervisedTeam } from './fixtures';

// Default targets (normal: 4 h / 24 h), so nothing fires by itself during these tests; low
// counts business hours only: Monday to Friday, 09:00-17:00 in Berlin.
const hub = signedInHub({
  SLA_POLICIES: JSON.stringify({ low: { firstResponse: '2h', resolution: '8h', businessHours: true } }),
  SLA_BUSINESS_HOURS: JSON.stringify({
    timezone: 'Europe/Berlin',
    week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [['09:00', '17:00']]])),
    holidays: ['2026-12-25'],
  }),
});

const HOUR = 3_600_000;
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

const deadlinesOf = async (conversationId: string) => {
  const [row] = await hub.db.query<{ created: Date; first: Date | null; resolution: Date | null; priority: string }>(
    'SELECT created_at AS created, first_response_due_at AS first, resolution_due_at AS resolution, priority FROM conversations WHERE id = $1',
    [conversationId],
  );
  return row!;
};

/** Moves a deadline into the past without scheduling anything, as if its time had come. */
async function passDeadline(conversationId: string, target: SlaCheck['target']): Promise<string> {
  const column = target === 'first_response' ? 'first_response_due_at' : 'resolution_due_at';
  const [row] = await hub.db.query<{ due: Date }>(`UPDATE conversations SET ${column} = now() - interval '1 minute' WHERE id = $1 RETURNING ${column} AS due`, [conversationId]);
  return row!.due.toISOString();
}

describe('runSlaCheck', () => {
  it('warns once and breaches once however often a check runs, raising the priority one step', async () => {
    const { conversationId, customerId } = await openChat(hub, team.teamId);
    const dueAt = await passDeadline(conversationId, 'first_response');
    const warning: SlaCheck = { conversationId, target: 'first_response', stage: 'warning', dueAt };
    const breach: SlaCheck = { ...warning, stage: 'breach' };
    const alerted = nextEvent<SlaAlert>(team.console, 'sla:breached', (alert) => alert.conversationId === conversationId);

    expect([await runSlaCheck(hub.domain, warning), await runSlaCheck(hub.domain, warning)]).toEqual(['warned', 'done']);
    expect([await runSlaCheck(hub.domain, breach), await runSlaCheck(hub.domain, breach)]).toEqual(['breached', 'done']);
    expect(await runSlaCheck(hub.domain, warning)).toBe('done');

    expect(await alerted).toMatchObject({ stage: 'breach', priority: 'high', teamId: team.teamId });
    expect((await deadlinesOf(conversationId)).priority).toBe('high');
    expect((await slaTimeline(hub, customerId)).map((event) => event.kind)).toEqual(['sla.warning', 'sla.breached']);
  });

  it('records nothing for a breach checked before its deadline', async () => {
    const { conversationId, customerId } = await openChat(hub, team.teamId);
    const { first } = await deadlinesOf(conversationId);

    expect(await runSlaCheck(hub.domain, { conversationId, target: 'first_response', stage: 'breach', dueAt: first!.toISOString() })).toBe('not_due');

    expect((await deadlinesOf(conversationId)).priority).toBe('normal');
    expect(await slaTimeline(hub, customerId)).toEqual([]);
  });
});

describe('refreshSla', () => {
  it('moves the deadlines when the priority changes, schedules checks for the new ones, and the old checks do nothing', async () => {
    const { conversationId, customerId } = await openChat(hub, team.teamId);
    const before = await deadlinesOf(conversationId);
    expect(before.first!.getTime() - before.created.getTime()).toBe(4 * HOUR);

    await hub.patch(`/api/conversations/${conversationId}`, { priority: 'urgent' }).expect(200);
    await refreshSla(hub.domain, conversationId);

    const after = await deadlinesOf(conversationId);
    expect(after.first!.getTime() - after.created.getTime()).toBe(HOUR / 4);
    expect(after.resolution!.getTime() - after.created.getTime()).toBe(4 * HOUR);
    const newBreach: SlaCheck = { conversationId, target: 'first_response', stage: 'breach', dueAt: after.first!.toISOString() };
    expect(await (await Job.fromId(sla.queue, slaJobId(newBreach)))?.getState()).toBe('delayed');
    const oldBreach: SlaCheck = { ...newBreach, dueAt: before.first!.toISOString() };
    expect(await runSlaCheck(hub.domain, oldBreach)).toBe('stale');
    expect(await runSlaCheck(hub.domain, { ...oldBreach, stage: 'warning' })).toBe('stale');
    expect(await slaTimeline(hub, customerId)).toEqual([]);
  });

  it('changes nothing when called again', async () => {
    const { conversationId } = await openChat(hub, team.teamId);
    const before = await deadlinesOf(conversationId);
    const jobsBefore = await sla.queue.getJobCountByTypes('delayed', 'waiting', 'active', 'completed');

    await refreshSla(hub.domain, conversationId);
    await refreshSla(hub.domain, conversationId);

    expect(await deadlinesOf(conversationId)).toEqual(before);
    expect(await sla.queue.getJobCountByTypes('delayed', 'waiting', 'active', 'completed')).toBe(jobsBefore);
  });

  it('keeps the deadline of a target already breached when the priority changes', async () => {
    const { conversationId } = await openChat(hub, team.teamId);
    const dueAt = await passDeadline(conversationId, 'first_response');
    expect(await runSlaCheck(hub.domain, { conversationId, target: 'first_response', stage: 'breach', dueAt })).toBe('breached');

    await hub.patch(`/api/conversations/${conversationId}`, { priority: 'low' }).expect(200);
    await refreshSla(hub.domain, conversationId);

    expect((await deadlinesOf(conversationId)).first!.toISOString()).toBe(dueAt);
  });

  it('counts business hours for a policy that asks for them', async () => {
    const { conversationId } = await openChat(hub, team.teamId);
    // Opened on Friday 6 March 2026 at 16:00 in Berlin (15:00 UTC), then made low priority.
    await hub.db.query("UPDATE conversations SET created_at = '2026-03-06T15:00:00Z' WHERE id = $1", [conversationId]);
    await hub.patch(`/api/conversations/${conversationId}`, { priority: 'low' }).expect(200);

    await refreshSla(hub.domain, conversationId);

    const { first, resolution } = await deadlinesOf(conversationId);
    // 2 business hours: Friday 16:00-17:00, then Monday 09:00-10:00 (CET, UTC+1).
    expect(first!.toISOString()).toBe('2026-03-09T09:00:00.000Z');
    // 8 business hours: Friday's last hour and Monday until 16:00.
    expect(resolution!.toISOString()).toBe('2026-03-09T15:00:00.000Z');
  });
});
