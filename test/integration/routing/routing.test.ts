import type { Conversation } from '../../../server/domain/conversations';
import { routeConversation } from '../../../server/domain/routing';
import { queuePosition } from '../../../server/domain/routingQueue';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, connectVisitor, nextEvent } from '../../support/sockets';
import { conversationRow, newAgent, newConversation, newCustomer, newTeam, onlineAgent, routeAndWait, WAIT_MS } from './fixtures';

/**
 * Routing through the real route queue and workers: conversations reach a free agent of the right
 * team, or wait in the team's queue until one frees up or comes online. Each test claims intents
 * no other test in this file uses, so teams never compete.
 */
const hub = signedInHub({ AGENT_OFFLINE_GRACE_MS: '300' });
afterEach(closeAllSockets);

const watch = () => connectAgent(hub.url, hub.token);
const assignedTo = (socket: Awaited<ReturnType<typeof watch>>, conversationId: string) =>
  nextEvent<Conversation>(socket, 'conversation:assigned', (conversation) => conversation.id === conversationId, WAIT_MS);

it('routes a conversation to an online agent of the team that claims its intent, whose console hears it', async () => {
  const watcher = await watch();
  const tracker = await onlineAgent(hub);
  const biller = await onlineAgent(hub);
  const tracking = await newTeam(hub, { strategy: 'least_loaded', intents: ['track_order'] }, [tracker]);
  await newTeam(hub, { strategy: 'least_loaded', intents: ['get_invoice'] }, [biller]);
  const customerId = await newCustomer(hub.db);
  const conversationId = await newConversation(hub.db, customerId, { intent: 'track_order', language: 'en' });
  const heard = assignedTo(tracker.console, conversationId);

  await routeAndWait(hub, watcher, conversationId);

  await expect(heard).resolves.toMatchObject({ teamId: tracking.id, assigneeId: tracker.id, assignedBy: 'router', queuedAt: null });
  const timeline = await hub.get(`/api/customers/${customerId}/timeline?kind=conversation.assigned`);
  expect(timeline.body.items).toEqual([
    expect.objectContaining({ kind: 'conversation.assigned', data: { conversationId, from: null, to: tracker.id, by: null, teamId: tracking.id } }),
  ]);
});

it('never gives a conversation to an agent who is away, and serves them once they are available again', async () => {
  const watcher = await watch();
  const agent = await onlineAgent(hub);
  await newTeam(hub, { strategy: 'round_robin', intents: ['delete_account'] }, [agent]);
  await expect(agent.console.emitWithAck('agent:status', { status: 'away' })).resolves.toEqual({ ok: true, status: 'away' });
  const conversationId = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'delete_account' });

  await expect(routeAndWait(hub, watcher, conversationId)).resolves.toMatchObject({ assigneeId: null, queuedAt: expect.any(String) });

  const heard = assignedTo(agent.console, conversationId);
  await expect(agent.console.emitWithAck('agent:status', { status: 'available' })).resolves.toEqual({ ok: true, status: 'available' });
  await expect(heard).resolves.toMatchObject({ assigneeId: agent.id });
});

it('keeps each agent within capacity: the next conversation waits, the widget learns its place, and it is assigned when the agent resolves one', async () => {
  const watcher = await watch();
  const agent = await onlineAgent(hub, { capacity: 1 });
  await newTeam(hub, { strategy: 'least_loaded', intents: ['check_invoice'] }, [agent]);
  const first = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'check_invoice' });
  await expect(routeAndWait(hub, watcher, first)).resolves.toMatchObject({ assigneeId: agent.id });

  const visitor = await connectVisitor(hub.url);
  const waiting = await newConversation(hub.db, visitor.session.customerId, { intent: 'check_invoice' });
  const told = nextEvent(visitor.socket, 'queue:position', (push: { conversationId: string }) => push.conversationId === waiting, WAIT_MS);
  await expect(routeAndWait(hub, watcher, waiting)).resolves.toMatchObject({ assigneeId: null });
  await expect(told).resolves.toEqual({ conversationId: waiting, position: 1 });
  await expect(visitor.socket.emitWithAck('queue:position', {})).resolves.toEqual({ ok: true, conversationId: waiting, position: 1 });

  const heard = assignedTo(agent.console, waiting);
  expect((await hub.patch(`/api/conversations/${first}`, { status: 'resolved' })).status).toBe(200);
  await expect(heard).resolves.toMatchObject({ assigneeId: agent.id, queuedAt: null });
  await expect(visitor.socket.emitWithAck('queue:position', { conversationId: waiting })).resolves.toEqual({ ok: true, conversationId: waiting, position: null });
});

it('assigns a waiting conversation as soon as an agent of its team comes online', async () => {
  const watcher = await watch();
  const agent = await newAgent(hub);
  await newTeam(hub, { strategy: 'least_loaded', intents: ['edit_account'] }, [agent]);
  const conversationId = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'edit_account' });
  await expect(routeAndWait(hub, watcher, conversationId)).resolves.toMatchObject({ assigneeId: null, queuedAt: expect.any(String) });

  const console = await connectAgent(hub.url, agent.token);
  await expect(assignedTo(console, conversationId)).resolves.toMatchObject({ assigneeId: agent.id });
});

it('serves its queue most pressing first, then oldest first', async () => {
  const watcher = await watch();
  const agent = await onlineAgent(hub, { capacity: 0 });
  await newTeam(hub, { strategy: 'least_loaded', intents: ['change_order'] }, [agent]);
  const older = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'change_order' });
  const unhappy = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'change_order', sentiment: -0.8 });
  const urgent = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'change_order', urgent: true });
  const newer = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'change_order' });
  for (const id of [older, unhappy, urgent, newer]) await routeAndWait(hub, watcher, id);

  const positions = await Promise.all([urgent, unhappy, older, newer].map((id) => queuePosition(hub.db, id)));
  expect(positions).toEqual([1, 2, 3, 4]);

  const first = assignedTo(agent.console, urgent);
  expect((await hub.patch(`/api/agents/${agent.id}`, { capacity: 1 })).status).toBe(200);
  await expect(first).resolves.toMatchObject({ priority: 'urgent' });
  const second = assignedTo(agent.console, unhappy);
  expect((await hub.patch(`/api/agents/${agent.id}`, { capacity: 2 })).status).toBe(200);
  await expect(second).resolves.toMatchObject({ priority: 'high' });
  await expect(Promise.all([older, newer].map((id) => queuePosition(hub.db, id)))).resolves.toEqual([1, 2]);
});

it('raises VIPs (by tag or attribute) and unhappy customers to high priority, with the deadlines of that priority, and never lowers one', async () => {
  const watcher = await watch();
  await newTeam(hub, { strategy: 'least_loaded', intents: ['review'] }, [await newAgent(hub)]);
  const byTag = await newConversation(hub.db, await newCustomer(hub.db, { tags: ['vip'] }), { intent: 'review' });
  const byAttribute = await newConversation(hub.db, await newCustomer(hub.db, { attributes: { vip: true } }), { intent: 'review' });
  const unhappy = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'review', sentiment: -0.5 });
  const ordinary = await newConversation(hub.db, await newCustomer(hub.db, { attributes: { vip: 'no' } }), { intent: 'review', sentiment: 0.2 });
  const setByAgent = await newConversation(hub.db, await newCustomer(hub.db, { tags: ['vip'] }), { intent: 'review', priority: 'urgent' });

  for (const id of [byTag, byAttribute, unhappy]) {
    // The SLA clocks move after routing commits; the console hears the new deadlines.
    const deadlines = nextEvent<Conversation>(watcher, 'conversation:updated', (c) => c.id === id && c.firstResponseDueAt !== null, WAIT_MS);
    await hub.domain.queues.route(id);
    const conversation = await deadlines;
    expect(conversation.priority).toBe('high');
    const { policies } = hub.config.sla;
    expect(Date.parse(conversation.firstResponseDueAt!) - Date.parse(conversation.createdAt)).toBe(policies.high.firstResponseMs);
  }
  await expect(routeAndWait(hub, watcher, ordinary)).resolves.toMatchObject({ priority: 'normal' });
  await expect(routeAndWait(hub, watcher, setByAgent)).resolves.toMatchObject({ priority: 'urgent' });
});

it("hands an offline agent's unanswered conversations back to the queue after the grace period, and keeps answered and manual ones", async () => {
  const watcher = await watch();
  const agent = await onlineAgent(hub);
  await newTeam(hub, { strategy: 'least_loaded', intents: ['switch_account'] }, [agent]);
  const unanswered = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'switch_account' });
  const answered = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'switch_account' });
  for (const id of [unanswered, answered]) await expect(routeAndWait(hub, watcher, id)).resolves.toMatchObject({ assigneeId: agent.id });
  await hub.db.query('UPDATE conversations SET first_response_at = now() WHERE id = $1', [answered]);
  const manual = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'switch_account' });
  expect((await hub.patch(`/api/conversations/${manual}`, { assigneeId: agent.id })).body).toMatchObject({ assignedBy: 'agent' });

  const offline = nextEvent(watcher, 'agent:presence', (presence: { agentId: string }) => presence.agentId === agent.id, WAIT_MS);
  const handedBack = nextEvent<Conversation>(watcher, 'conversation:updated', (c) => c.id === unanswered && c.assigneeId === null, WAIT_MS);
  agent.console.close();
  await expect(offline).resolves.toEqual({ agentId: agent.id, online: false, status: 'available' });
  await expect(handedBack).resolves.toMatchObject({ queuedAt: expect.any(String), assignedBy: 'router' });

  for (const id of [answered, manual]) await expect(conversationRow(hub.db, id)).resolves.toMatchObject({ assignee_id: agent.id });
  const [row] = await hub.db.query<{ customer_id: string }>('SELECT customer_id FROM conversations WHERE id = $1', [unanswered]);
  const timeline = await hub.get(`/api/customers/${row!.customer_id}/timeline?kind=conversation.assigned`);
  expect(timeline.body.items[0]).toMatchObject({ data: { conversationId: unanswered, from: agent.id, to: null, by: null, reason: 'agent offline' } });
});

it('never lets routing override a manual assignment', async () => {
  const router = await onlineAgent(hub);
  const chosen = await newAgent(hub);
  await newTeam(hub, { strategy: 'least_loaded', intents: ['recover_password'] }, [router, chosen]);
  const conversationId = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'recover_password' });
  const heard = assignedTo(router.console, conversationId);
  expect((await hub.patch(`/api/conversations/${conversationId}`, { assigneeId: router.id })).status).toBe(200);
  await heard;
  expect((await hub.patch(`/api/conversations/${conversationId}`, { assigneeId: chosen.id })).body).toMatchObject({ assigneeId: chosen.id, assignedBy: 'agent' });

  await expect(routeConversation(hub.domain, conversationId, [router.id])).resolves.toEqual({ outcome: 'kept' });
  await expect(conversationRow(hub.db, conversationId)).resolves.toMatchObject({ assignee_id: chosen.id, assigned_by: 'agent', queued_at: null });
});

it("transfers to a team: it waits in that team's queue, goes to its free agent, and routing leaves it there", async () => {
  const watcher = await watch();
  const payments = await onlineAgent(hub);
  const escalations = await onlineAgent(hub);
  await newTeam(hub, { strategy: 'least_loaded', intents: ['payment_issue'] }, [payments]);
  const escalationTeam = await newTeam(hub, { strategy: 'least_loaded', intents: [] }, [escalations]);
  const conversationId = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'payment_issue' });
  await expect(routeAndWait(hub, watcher, conversationId)).resolves.toMatchObject({ assigneeId: payments.id });

  const heard = assignedTo(escalations.console, conversationId);
  const transferred = await hub.patch(`/api/conversations/${conversationId}`, { teamId: escalationTeam.id });
  expect(transferred.body).toMatchObject({ teamId: escalationTeam.id, assigneeId: null, assignedBy: 'agent', queuedAt: expect.any(String) });
  await expect(heard).resolves.toMatchObject({ teamId: escalationTeam.id, assigneeId: escalations.id });

  const nobodyHome = await newTeam(hub, { strategy: 'least_loaded', intents: [] }, [await newAgent(hub)]);
  const waiting = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'payment_issue' });
  expect((await hub.patch(`/api/conversations/${waiting}`, { teamId: nobodyHome.id })).body).toMatchObject({ teamId: nobodyHome.id, queuedAt: expect.any(String) });
  await expect(routeConversation(hub.domain, waiting, [payments.id, escalations.id])).resolves.toEqual({ outcome: 'queued', teamId: nobodyHome.id });
});

it('leaves a conversation no team claims unrouted when there is no default team', async () => {
  const conversationId = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'newsletter_subscription' });
  await expect(routeConversation(hub.domain, conversationId, [])).resolves.toEqual({ outcome: 'no_team' });
  await expect(conversationRow(hub.db, conversationId)).resolves.toMatchObject({ team_id: null, queued_at: null, assignee_id: null });
});
