import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { issueAgentToken } from '../../../server/domain/agentTokens';
import { startTestHub, type TestHub } from '../../support/hub';
import { closeAllSockets, connectAgent, connectVisitor, login } from '../../support/sockets';

let hub: TestHub;
let token: string;

beforeAll(async () => {
  hub = await startTestHub();
  ({ token } = await login(hub.url));
});
afterEach(closeAllSockets);
afterAll(() => hub.stop());

const countRows = async () => {
  const [row] = await hub.db.query<{ messages: number; conversations: number; events: number }>(
    `SELECT (SELECT count(*) FROM messages)::int AS messages,
            (SELECT count(*) FROM conversations)::int AS conversations,
            (SELECT count(*) FROM timeline_events)::int AS events`,
  );
  return row;
};

describe('bad input on the sockets', () => {
  it.each([
    ['an empty body', { clientId: 'c1', body: '' }, 'message_empty'],
    ['a whitespace-only body', { clientId: 'c2', body: ' \n\t ' }, 'message_empty'],
    ['a body over the message limit', { clientId: 'c3', body: 'x'.repeat(10_001) }, 'message_too_long'],
    ['no clientId', { body: 'hello' }, 'validation_failed'],
    ['a body that is not text', { clientId: 'c4', body: { text: 'hi' } }, 'validation_failed'],
    ['no payload at all', undefined, 'validation_failed'],
  ])('refuses %s from a visitor with a clear error and stores nothing', async (_case, payload, code) => {
    const { socket } = await connectVisitor(hub.url);
    const before = await countRows();
    const ack = await socket.emitWithAck('message:send', payload);
    expect(ack).toEqual({ ok: false, error: { code, message: expect.any(String) } });
    expect(await countRows()).toEqual(before);
  });

  it("refuses a visitor sending into another visitor's conversation, as if it did not exist", async () => {
    const { socket: owner } = await connectVisitor(hub.url);
    const first = await owner.emitWithAck('message:send', { clientId: randomUUID(), body: 'My private question' });
    const { socket: intruder } = await connectVisitor(hub.url);
    const before = await countRows();

    const ack = await intruder.emitWithAck('message:send', {
      clientId: randomUUID(),
      body: 'Let me in',
      conversationId: first.message.conversationId,
    });

    expect(ack).toMatchObject({ ok: false, error: { code: 'conversation_not_found' } });
    expect(await countRows()).toEqual(before);
  });

  it('refuses messages:since with the id of a message from another visitor', async () => {
    const { socket: owner } = await connectVisitor(hub.url);
    const first = await owner.emitWithAck('message:send', { clientId: randomUUID(), body: 'Secret' });
    const { socket: other } = await connectVisitor(hub.url);
    const ack = await other.emitWithAck('messages:since', { afterId: first.message.id });
    expect(ack).toMatchObject({ ok: false, error: { code: 'message_not_found' } });
  });

  it('gives a visitor with an unknown visitor id a new session', async () => {
    const { session } = await connectVisitor(hub.url, 'vis_not-one-we-issued');
    expect(session.visitorId).not.toBe('vis_not-one-we-issued');
    expect(session.visitorId).toMatch(/^vis_/);
  });

  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600 * 1000);
  it.each([
    ['no token', () => ({})],
    ['a garbage token', () => ({ token: 'not-a-token' })],
    ['a token signed with another key', () => ({ token: issueAgentToken('another-secret-key-of-at-least-32-chars', 'agt_x') })],
    ['an expired token', () => ({ token: issueAgentToken(hub.config.secretKey, 'agt_x', hoursAgo(13)) })],
  ])('refuses an agent socket with %s at connect', async (_case, authFor) => {
    const socket = io(`${hub.url}/agents`, { auth: authFor(), transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      const error = await new Promise<Error & { data?: unknown }>((resolve, reject) => {
        socket.once('connect_error', resolve);
        socket.once('connect', () => reject(new Error('connected without a valid token')));
      });
      expect(error.data).toMatchObject({ code: 'unauthorized' });
    } finally {
      socket.close();
    }
  });

  it('refuses an agent reply to an unknown conversation and an empty reply, storing nothing', async () => {
    const agent = await connectAgent(hub.url, token);
    const { socket: visitor } = await connectVisitor(hub.url);
    const first = await visitor.emitWithAck('message:send', { clientId: randomUUID(), body: 'Hello' });
    const before = await countRows();

    const unknown = await agent.emitWithAck('message:send', { conversationId: 'cnv_missing', clientId: 'a1', body: 'Hi' });
    const empty = await agent.emitWithAck('message:send', { conversationId: first.message.conversationId, clientId: 'a2', body: '   ' });
    const malformed = await agent.emitWithAck('message:send', { clientId: 'a3', body: 'no conversation' });

    expect(unknown).toMatchObject({ ok: false, error: { code: 'conversation_not_found' } });
    expect(empty).toMatchObject({ ok: false, error: { code: 'message_empty' } });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await countRows()).toEqual(before);
  });

  it('disconnects a client that sends a packet over the size limit, storing nothing', async () => {
    const { socket } = await connectVisitor(hub.url);
    const before = await countRows();
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('message:send', { clientId: 'huge', body: 'x'.repeat(512 * 1024) });
    expect(await disconnected).toBe('transport close');
    expect(await countRows()).toEqual(before);
  });
});
