import { randomUUID } from 'node:crypto';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, connectVisitor, nextEvent } from '../../support/sockets';
import { newAgent, newTeam } from '../routing/fixtures';

/**
 * The acceptance story, end to end through the real queues and workers: a chat message is
 * classified, routed to an online agent of the right team, and that agent's console gets the
 * assignment; with every agent busy the next one waits, and is assigned when an agent frees up.
 */
const hub = signedInHub();
afterEach(closeAllSockets);

const WAIT_MS = 15_000;

it('classifies a chat message, routes it to a free agent of the right team, queues the next until one frees up', async () => {
  const ordersAgent = await newAgent(hub, { capacity: 1 });
  const generalAgent = await newAgent(hub, { capacity: 5 });
  const orders = await newTeam(hub, { strategy: 'least_loaded', intents: ['cancel_order', 'track_order'] }, [ordersAgent]);
  await newTeam(hub, { strategy: 'least_loaded', intents: [], isDefault: true }, [generalAgent]);
  const ordersConsole = await connectAgent(hub.url, ordersAgent.token);
  const generalConsole = await connectAgent(hub.url, generalAgent.token);
  const generalHeard: unknown[] = [];
  generalConsole.on('conversation:assigned', (conversation) => generalHeard.push(conversation));

  // 1. Classified and routed to the orders agent, whose console hears it.
  const first = await connectVisitor(hub.url);
  const firstAssigned = nextEvent(ordersConsole, 'conversation:assigned', () => true, WAIT_MS);
  const sent = await first.socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'I want to cancel my order 4711, please' });
  expect(sent.ok).toBe(true);
  await expect(firstAssigned).resolves.toMatchObject({
    id: sent.message.conversationId,
    intent: 'cancel_order',
    language: 'en',
    teamId: orders.id,
    assigneeId: ordersAgent.id,
    assignedBy: 'router',
  });

  // 2. The orders agent is at capacity: the next order question waits in the team queue.
  const second = await connectVisitor(hub.url);
  const position = nextEvent(second.socket, 'queue:position', () => true, WAIT_MS);
  const waiting = await second.socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'How can I cancel the order I placed yesterday?' });
  await expect(position).resolves.toEqual({ conversationId: waiting.message.conversationId, position: 1 });
  expect(await second.socket.emitWithAck('queue:position', {})).toMatchObject({ ok: true, position: 1 });

  // 3. The agent resolves the first conversation: the waiting one is theirs at once.
  const secondAssigned = nextEvent(ordersConsole, 'conversation:assigned', (conversation: { id: string }) => conversation.id === waiting.message.conversationId, WAIT_MS);
  const resolved = await hub.patch(`/api/conversations/${sent.message.conversationId}`, { status: 'resolved' });
  expect(resolved.status).toBe(200);
  await expect(secondAssigned).resolves.toMatchObject({ assigneeId: ordersAgent.id, queuedAt: null });

  // Nothing of this went to the general team's agent.
  expect(generalHeard).toEqual([]);
  const timeline = (await hub.get(`/api/customers/${waiting.message.customerId}/timeline?kind=conversation&order=oldest`)).body.items;
  expect(timeline.map((event: { kind: string }) => event.kind)).toEqual(['conversation.opened', 'conversation.assigned']);
});

