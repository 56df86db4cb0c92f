import { randomUUID } from 'node:crypto';
import { startTestHub, type TestHub } from '../../support/hub';
import { closeAllSockets, connectAgent, connectVisitor, login, nextEvent } from '../../support/sockets';

let hub: TestHub;
let token: string;

beforeAll(async () => {
  hub = await startTestHub();
  ({ token } = await login(hub.url));
});
afterEach(closeAllSockets);
afterAll(() => hub.stop());

describe('a chat between a visitor and an agent', () => {
  it('gives a new visitor a session with a visitor id and a customer id', async () => {
    const { session } = await connectVisitor(hub.url);
    expect(session.visitorId).toMatch(/^vis_/);
    expect(session.customerId).toMatch(/^cus_/);
  });

  it("delivers a visitor's message to a signed-in agent's socket and onto the customer's timeline", async () => {
    const agent = await connectAgent(hub.url, token);
    const { socket: visitor, session } = await connectVisitor(hub.url);
    const clientId = randomUUID();
    const opened = nextEvent(agent, 'conversation:new', (c) => c.customerId === session.customerId);
    const delivered = nextEvent(agent, 'message:new', (m) => m.clientId === clientId);

    const ack = await visitor.emitWithAck('message:send', { clientId, body: '  Where is my order?  ' });

    expect(ack).toMatchObject({
      ok: true,
      message: {
        customerId: session.customerId,
        channel: 'chat',
        direction: 'inbound',
        author: { kind: 'customer', id: session.customerId },
        body: 'Where is my order?',
      },
    });
    const message = await delivered;
    expect(message).toEqual(ack.message);
    const conversation = await opened;
    expect(conversation).toMatchObject({ id: message.conversationId, channel: 'chat', status: 'open' });

    const timeline = await fetch(`${hub.url}/api/customers/${session.customerId}/timeline`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((response) => response.json() as Promise<{ items: { kind: string; reference: string }[] }>);
    expect(timeline.items.map((event) => [event.kind, event.reference])).toEqual(
      expect.arrayContaining([
        ['message.received', message.id],
        ['conversation.opened', message.conversationId],
      ]),
    );
  });

  it("delivers the agent's reply to the visitor", async () => {
    const agent = await connectAgent(hub.url, token);
    const { socket: visitor } = await connectVisitor(hub.url);
    const first = await visitor.emitWithAck('message:send', { clientId: randomUUID(), body: 'Hello?' });
    // The visitor hears its own messages too (other tabs show them); this waits for the answer.
    const received = nextEvent(visitor, 'message:new', (m) => m.direction === 'outbound');

    const reply = await agent.emitWithAck('message:send', {
      conversationId: first.message.conversationId,
      clientId: randomUUID(),
      body: 'Hi! How can I help?',
    });

    expect(reply).toMatchObject({ ok: true, message: { direction: 'outbound', author: { kind: 'agent' }, body: 'Hi! How can I help?' } });
    expect(await received).toEqual(reply.message);
  });

  it('stores a message sent twice with the same clientId once and acks the first result', async () => {
    const { socket: visitor, session } = await connectVisitor(hub.url);
    const clientId = randomUUID();
    const [first, again] = await Promise.all([
      visitor.emitWithAck('message:send', { clientId, body: 'Only once, please' }),
      visitor.emitWithAck('message:send', { clientId, body: 'Only once, please' }),
    ]);
    const third = await visitor.emitWithAck('message:send', { clientId, body: 'Only once, please' });

    expect(first.ok && again.ok && third.ok).toBe(true);
    expect(new Set([first.message.id, again.message.id, third.message.id]).size).toBe(1);
    const rows = await hub.db.query('SELECT id FROM messages WHERE customer_id = $1', [session.customerId]);
    expect(rows).toHaveLength(1);
  });

  it('gives a reconnecting visitor the messages it missed, oldest first', async () => {
    const agent = await connectAgent(hub.url, token);
    const { socket: visitor, session } = await connectVisitor(hub.url);
    const sent = await visitor.emitWithAck('message:send', { clientId: randomUUID(), body: 'I will be right back' });
    visitor.close();

    const replies: string[] = [];
    for (const body of ['First answer while you were away', 'Second answer']) {
      const ack = await agent.emitWithAck('message:send', { conversationId: sent.message.conversationId, clientId: randomUUID(), body });
      replies.push(ack.message.id);
    }

    const { socket: back, session: resumed } = await connectVisitor(hub.url, session.visitorId);
    expect(resumed).toEqual(session);
    const missed = await back.emitWithAck('messages:since', { afterId: sent.message.id });
    expect(missed.ok).toBe(true);
    expect(missed.messages.map((m: { id: string }) => m.id)).toEqual(replies);
    const everything = await back.emitWithAck('messages:since', {});
    expect(everything.messages.map((m: { id: string }) => m.id)).toEqual([sent.message.id, ...replies]);
  });
});
