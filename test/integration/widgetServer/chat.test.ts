import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, connectVisitor, nextEvent } from '../../support/sockets';

jest.setTimeout(60_000);

const hub = signedInHub();
afterEach(closeAllSockets);

/** A visitor with an open chat, and an agent console. */
async function chatting() {
  const agent = await connectAgent(hub.url, hub.token);
  const { socket: visitor, session } = await connectVisitor(hub.url);
  const first = await visitor.emitWithAck('message:send', { clientId: randomUUID(), body: 'Hello, anyone there?' });
  expect(first.ok).toBe(true);
  return { agent, visitor, session, conversationId: first.message.conversationId as string, firstMessageId: first.message.id as string };
}

const reply = (agent: Socket, conversationId: string, body: string) =>
  agent.emitWithAck('message:send', { conversationId, clientId: randomUUID(), body });

describe('two tabs of one visitor', () => {
  it("shows each tab what the other sent, and both get the agent's answer", async () => {
    const { agent, visitor, session, conversationId } = await chatting();
    const { socket: secondTab } = await connectVisitor(hub.url, session.visitorId);
    const clientId = randomUUID();
    const echoed = nextEvent(secondTab, 'message:new', (m) => m.clientId === clientId);
    const ownEcho = nextEvent(visitor, 'message:new', (m) => m.clientId === clientId);

    const sent = await visitor.emitWithAck('message:send', { clientId, body: 'Sent from the first tab' });

    expect(await echoed).toEqual(sent.message);
    expect(await ownEcho).toEqual(sent.message);
    const answerInFirst = nextEvent(visitor, 'message:new', (m) => m.direction === 'outbound');
    const answerInSecond = nextEvent(secondTab, 'message:new', (m) => m.direction === 'outbound');
    const answer = await reply(agent, conversationId, 'Both tabs see this');
    expect(await answerInFirst).toEqual(answer.message);
    expect(await answerInSecond).toEqual(answer.message);
  });
});

describe('typing', () => {
  it("tells the agents when the visitor types in their chat, and the visitor when an agent types", async () => {
    const { agent, visitor, session, conversationId } = await chatting();

    const visitorTyping = nextEvent(agent, 'visitor:typing', (event) => event.customerId === session.customerId);
    expect(await visitor.emitWithAck('typing', { typing: true })).toEqual({ ok: true });
    expect(await visitorTyping).toEqual({ conversationId, customerId: session.customerId, typing: true });

    const agentTyping = nextEvent(visitor, 'agent:typing');
    expect(await agent.emitWithAck('typing', { conversationId, typing: true })).toEqual({ ok: true });
    expect(await agentTyping).toEqual({ conversationId, agent: { id: hub.agentId, name: expect.any(String), avatarUrl: null }, typing: true });
  });

  it('tells nobody while the visitor has no chat yet', async () => {
    const agent = await connectAgent(hub.url, hub.token);
    const { socket: visitor, session } = await connectVisitor(hub.url);
    // Events reach the console in the order they were sent: the first one heard is the first one sent.
    const firstHeard = nextEvent(agent, 'visitor:typing', (event) => event.customerId === session.customerId);

    expect(await visitor.emitWithAck('typing', { typing: true })).toEqual({ ok: true });
    const sent = await visitor.emitWithAck('message:send', { clientId: randomUUID(), body: 'Now I have a chat' });
    await visitor.emitWithAck('typing', { typing: false });

    expect(await firstHeard).toEqual({ conversationId: sent.message.conversationId, customerId: session.customerId, typing: false });
  });

  it("refuses an agent's typing in a conversation that does not exist", async () => {
    const agent = await connectAgent(hub.url, hub.token);
    const ack = await agent.emitWithAck('typing', { conversationId: 'cnv_missing', typing: true });
    expect(ack).toMatchObject({ ok: false, error: { code: 'conversation_not_found' } });
  });
});

describe('read receipts', () => {
  it('tells the agents what the visitor read and the visitor what an agent read, and remembers both', async () => {
    const { agent, visitor, conversationId, firstMessageId } = await chatting();
    const answer = await reply(agent, conversationId, 'Yes, how can I help?');

    const readByCustomer = nextEvent(agent, 'messages:read', (event) => event.conversationId === conversationId);
    expect(await visitor.emitWithAck('messages:read', { upToId: answer.message.id })).toEqual({ ok: true });
    expect(await readByCustomer).toEqual({ conversationId, reader: 'customer', upToId: answer.message.id });

    const readByAgent = nextEvent(visitor, 'messages:read');
    expect(await agent.emitWithAck('messages:read', { conversationId, upToId: firstMessageId })).toEqual({ ok: true });
    expect(await readByAgent).toEqual({ conversationId, reader: 'agent', upToId: firstMessageId });

    const [marks] = await hub.db.query('SELECT customer_read_upto, agent_read_upto FROM conversations WHERE id = $1', [conversationId]);
    expect(marks).toEqual({ customer_read_upto: answer.message.id, agent_read_upto: firstMessageId });
  });

  it('never moves a mark back', async () => {
    const { agent, visitor, conversationId, firstMessageId } = await chatting();
    const answer = await reply(agent, conversationId, 'Later message');
    await visitor.emitWithAck('messages:read', { upToId: answer.message.id });
    const firstHeard = nextEvent(agent, 'messages:read', (event) => event.conversationId === conversationId);

    expect(await visitor.emitWithAck('messages:read', { upToId: firstMessageId })).toEqual({ ok: true });
    const [marks] = await hub.db.query('SELECT customer_read_upto FROM conversations WHERE id = $1', [conversationId]);
    expect(marks).toEqual({ customer_read_upto: answer.message.id });
    // Had the older receipt been announced, the console would hear it before this newer one.
    const newest = await reply(agent, conversationId, 'Newest');
    await visitor.emitWithAck('messages:read', { upToId: newest.message.id });
    expect(await firstHeard).toEqual({ conversationId, reader: 'customer', upToId: newest.message.id });
  });

  it("refuses a visitor's receipt for someone else's message", async () => {
    const { firstMessageId } = await chatting();
    const { socket: stranger } = await connectVisitor(hub.url);

    const ack = await stranger.emitWithAck('messages:read', { upToId: firstMessageId });

    expect(ack).toMatchObject({ ok: false, error: { code: 'message_not_found' } });
  });
});

describe('conversation status and satisfaction', () => {
  it('tells the widget when its chat is resolved, then takes one rating onto the timeline', async () => {
    const { visitor, session, conversationId } = await chatting();
    const early = await visitor.emitWithAck('csat:submit', { conversationId, rating: 5 });
    expect(early).toMatchObject({ ok: false, error: { code: 'conversation_not_resolved' } });

    const status = nextEvent(visitor, 'conversation:status', (event) => event.status === 'resolved');
    expect((await hub.patch(`/api/conversations/${conversationId}`, { status: 'resolved' })).status).toBe(200);
    expect(await status).toEqual({ conversationId, status: 'resolved' });

    expect(await visitor.emitWithAck('csat:submit', { conversationId, rating: 4, comment: '  Quick and kind  ' })).toEqual({ ok: true });
    const again = await visitor.emitWithAck('csat:submit', { conversationId, rating: 1 });
    expect(again).toMatchObject({ ok: false, error: { code: 'csat_already_given' } });

    expect(await hub.db.query('SELECT rating, comment FROM csat_ratings WHERE conversation_id = $1', [conversationId])).toEqual([
      { rating: 4, comment: 'Quick and kind' },
    ]);
    const timeline = await hub.get(`/api/customers/${session.customerId}/timeline`);
    expect(timeline.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'conversation.rated', reference: conversationId, data: { conversationId, rating: 4, comment: 'Quick and kind' } }),
      ]),
    );
  });

  it.each([
    ['a rating above 5', { rating: 6 }],
    ['a rating that is not whole', { rating: 3.5 }],
    ['a comment over 1000 characters', { rating: 3, comment: 'x'.repeat(1001) }],
  ])('refuses %s', async (_case, rating) => {
    const { visitor, conversationId } = await chatting();
    await hub.patch(`/api/conversations/${conversationId}`, { status: 'resolved' });

    const ack = await visitor.emitWithAck('csat:submit', { conversationId, ...rating });

    expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await hub.db.query('SELECT 1 FROM csat_ratings WHERE conversation_id = $1', [conversationId])).toEqual([]);
  });

  it("refuses to rate someone else's conversation", async () => {
    const { conversationId } = await chatting();
    await hub.patch(`/api/conversations/${conversationId}`, { status: 'resolved' });
    const { socket: stranger } = await connectVisitor(hub.url);

    const ack = await stranger.emitWithAck('csat:submit', { conversationId, rating: 1 });

    expect(ack).toMatchObject({ ok: false, error: { code: 'conversation_not_found' } });
  });
});

describe('agent avatars', () => {
  it("shows the agent's avatar on their messages, live and in history", async () => {
    const avatarUrl = `https://cdn.example.com/avatars/${randomUUID()}.png`;
    await hub.db.query('UPDATE agents SET avatar_url = $2 WHERE id = $1', [hub.agentId, avatarUrl]);
    try {
      const { agent, visitor, conversationId, firstMessageId } = await chatting();
      const live = nextEvent(visitor, 'message:new', (m) => m.direction === 'outbound');

      const answer = await reply(agent, conversationId, 'With my face on it');

      expect(answer.message.author).toEqual({ kind: 'agent', id: hub.agentId, name: expect.any(String), avatarUrl });
      expect((await live).author.avatarUrl).toBe(avatarUrl);
      const history = await visitor.emitWithAck('messages:since', { afterId: firstMessageId });
      expect(history.messages.map((m: { author: { avatarUrl: string | null } }) => m.author.avatarUrl)).toEqual([avatarUrl]);
    } finally {
      await hub.db.query('UPDATE agents SET avatar_url = NULL WHERE id = $1', [hub.agentId]);
    }
  });
});
