import request from 'supertest';
import type { Conversation } from '../../../server/domain/conversations';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, nextEvent } from '../../support/sockets';
import { newConversation, newCustomer, newTeam, onlineAgent, routeAndWait, WAIT_MS } from '../routing/fixtures';

/** "Appear offline": an agent signed in with their console open, shown offline and never routed to. */
const hub = signedInHub();
afterEach(closeAllSockets);

type Presence = { agentId: string; online: boolean; status: string };
const presenceOf = (socket: Awaited<ReturnType<typeof connectAgent>>, agentId: string) =>
  nextEvent<Presence>(socket, 'agent:presence', (presence) => presence.agentId === agentId, WAIT_MS);
const listed = async (agentId: string) => (await hub.get('/api/agents')).body.items.find((agent: { id: string }) => agent.id === agentId);
const availability = async () => (await request(hub.handler).get('/api/widget/settings')).body.availability;

it("takes the agent out of the widget's availability", async () => {
  const agent = await onlineAgent(hub);
  await expect(availability()).resolves.toEqual({ online: true, agentsOnline: 1, withinBusinessHours: true });

  await expect(agent.console.emitWithAck('agent:status', { status: 'offline' })).resolves.toEqual({ ok: true, status: 'offline' });

  await expect(availability()).resolves.toEqual({ online: false, agentsOnline: 0, withinBusinessHours: true });
});

it('shows the agent offline to every console and in the agent list', async () => {
  const watcher = await connectAgent(hub.url, hub.token);
  const agent = await onlineAgent(hub);
  const told = presenceOf(watcher, agent.id);

  await expect(agent.console.emitWithAck('agent:status', { status: 'offline' })).resolves.toEqual({ ok: true, status: 'offline' });

  await expect(told).resolves.toEqual({ agentId: agent.id, online: true, status: 'offline' });
  await expect(listed(agent.id)).resolves.toMatchObject({ online: true, status: 'offline' });
  expect(agent.console.connected).toBe(true);
});

it('never routes a conversation to an agent who appears offline, and serves them once they are available again', async () => {
  const watcher = await connectAgent(hub.url, hub.token);
  const agent = await onlineAgent(hub);
  await newTeam(hub, { strategy: 'round_robin', intents: ['cancel_order'] }, [agent]);
  await agent.console.emitWithAck('agent:status', { status: 'offline' });
  const conversationId = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'cancel_order' });

  await expect(routeAndWait(hub, watcher, conversationId)).resolves.toMatchObject({ assigneeId: null, queuedAt: expect.any(String) });

  const assigned = nextEvent<Conversation>(agent.console, 'conversation:assigned', (conversation) => conversation.id === conversationId, WAIT_MS);
  const told = presenceOf(watcher, agent.id);
  await expect(agent.console.emitWithAck('agent:status', { status: 'available' })).resolves.toEqual({ ok: true, status: 'available' });
  await expect(told).resolves.toEqual({ agentId: agent.id, online: true, status: 'available' });
  await expect(assigned).resolves.toMatchObject({ assigneeId: agent.id });
});

it('routes to a teammate who is available instead', async () => {
  const watcher = await connectAgent(hub.url, hub.token);
  const hidden = await onlineAgent(hub);
  const available = await onlineAgent(hub);
  await newTeam(hub, { strategy: 'least_loaded', intents: ['change_order'] }, [hidden, available]);
  await hidden.console.emitWithAck('agent:status', { status: 'offline' });

  for (let i = 0; i < 2; i++) {
    const conversationId = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'change_order' });
    await expect(routeAndWait(hub, watcher, conversationId)).resolves.toMatchObject({ assigneeId: available.id });
  }
});
