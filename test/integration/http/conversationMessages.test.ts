import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { untilClassified } from '../../support/background';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectVisitor, nextEvent } from '../../support/sockets';

const hub = signedInHub();
afterEach(closeAllSockets);

const get = (path: string) => request(hub.handler).get(path).set('authorization', `Bearer ${hub.token}`);
const reply = (conversationId: string, body: object) =>
  request(hub.handler).post(`/api/conversations/${conversationId}/messages`).set('authorization', `Bearer ${hub.token}`).send(body);
const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });
const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** A new widget visitor who has written once, and the conversation that opened. */
async function visitorWrites(body: string) {
  const { socket, session } = await connectVisitor(hub.url);
  const ack = await socket.emitWithAck('message:send', { clientId: randomUUID(), body });
  if (!ack.ok) throw new Error(`the visitor could not write: ${JSON.stringify(ack)}`);
  await untilClassified(hub.db, ack.message.conversationId);
  return { socket, customerId: session.customerId, conversationId: ack.message.conversationId as string };
}

/** What a refused write must leave untouched: the rows, and the conversation's place in the inbox. */
async function snapshot(conversationId: string) {
  const [counts] = await hub.db.query(
    `SELECT (SELECT count(*) FROM messages)::int AS messages,
            (SELECT count(*) FROM timeline_events)::int AS events,
            (SELECT count(*) FROM conversations)::int AS conversations`,
  );
  const conversation = await get(`/api/conversations/${conversationId}`);
  return { counts, conversation: conversation.body };
}

describe('GET /api/conversations/:id/messages', () => {
  let conversationId: string;
  const said: { body: string; by: 'customer' | 'agent' }[] = [
    { body: 'My parcel has not arrived', by: 'customer' },
    { body: 'Sorry to hear that! What is the order number?', by: 'agent' },
    { body: 'It is 4711', by: 'customer' },
    { body: 'Thanks, it leaves the warehouse today', by: 'agent' },
    { body: 'Great, thank you', by: 'customer' },
  ];
  const ids: string[] = [];

  beforeAll(async () => {
    const visitor = await visitorWrites(said[0]!.body);
    conversationId = visitor.conversationId;
    for (const { body, by } of said.slice(1)) {
      if (by === 'customer') await visitor.socket.emitWithAck('message:send', { clientId: randomUUID(), body });
      else expect((await reply(conversationId, { clientId: randomUUID(), body })).status).toBe(201);
    }
    const rows = await hub.db.query<{ id: string }>('SELECT id FROM messages WHERE conversation_id = $1 ORDER BY seq', [conversationId]);
    ids.push(...rows.map((row) => row.id));
    await visitorWrites('Someone else, in a conversation of their own');
  });

  it("answers the conversation's messages oldest first, the customer's and the agent's alike", async () => {
    const response = await get(`/api/conversations/${conversationId}/messages`);

    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    expect(response.body.items.map((m: { body: string }) => m.body)).toEqual(said.map((s) => s.body));
    expect(response.body.items.map((m: { author: { kind: string } }) => m.author.kind)).toEqual(said.map((s) => s.by));
    expect(response.body.items.map((m: { id: string }) => m.id)).toEqual(ids);
    expect(response.body.items[1]).toMatchObject({ conversationId, direction: 'outbound', author: { kind: 'agent', id: hub.agentId } });
  });

  it('walks every message exactly once, in order, with limit=2', async () => {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const response = await get(`/api/conversations/${conversationId}/messages?${query}`);
      expect(response.status).toBe(200);
      pages.push(response.body.items.map((m: { id: string }) => m.id));
      cursor = response.body.nextCursor;
    } while (cursor && pages.length < 10);

    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(ids);
  });

  it('answers 404 conversation_not_found for a conversation that does not exist', async () => {
    const response = await get('/api/conversations/cnv_00000000000000000000000000/messages');
    expect(response.status).toBe(404);
    expect(response.body).toEqual(errorBody('conversation_not_found'));
  });

  it('answers 401 without a token', async () => {
    const response = await request(hub.handler).get(`/api/conversations/${conversationId}/messages`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(errorBody('unauthorized'));
  });

  it.each([
    ['garbage', 'garbage!'],
    ['a key of the wrong type', cursorOf(['42'])],
    ['a key of the wrong length', cursorOf([1, 2])],
  ])('answers 400 invalid_cursor to a cursor that is %s', async (_case, cursor) => {
    const response = await get(`/api/conversations/${conversationId}/messages?cursor=${encodeURIComponent(cursor)}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('invalid_cursor'));
  });

  it.each([
    ['a fraction', 1.5],
    ['beyond bigint', 1e300],
  ])('answers 400 invalid_cursor to a cursor whose position is %s', async (_case, position) => {
    const response = await get(`/api/conversations/${conversationId}/messages?cursor=${cursorOf([position])}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('invalid_cursor'));
  });

  it.each(['0', '101'])('answers 400 validation_failed to limit=%s', async (limit) => {
    const response = await get(`/api/conversations/${conversationId}/messages?limit=${limit}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });
});

describe('POST /api/conversations/:id/messages', () => {
  it("answers 201 {message, duplicate: false} and delivers the reply to the visitor's widget", async () => {
    const { socket, customerId, conversationId } = await visitorWrites('Do you ship to Norway?');
    const clientId = randomUUID();
    const delivered = nextEvent(socket, 'message:new', (message) => message.clientId === clientId);

    const response = await reply(conversationId, { clientId, body: '  Yes, we do!  ' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({ message: expect.any(Object), duplicate: false });
    expect(response.body.message).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      conversationId,
      customerId,
      channel: 'chat',
      direction: 'outbound',
      author: { kind: 'agent', id: hub.agentId, name: 'Administrator' },
      body: 'Yes, we do!',
      clientId,
    });
    expect(await delivered).toEqual(response.body.message);
  });

  it('lists the reply with the conversation and counts it as the first response and the latest activity', async () => {
    const { conversationId } = await visitorWrites('Is anyone reading this?');

    const { body } = await reply(conversationId, { clientId: randomUUID(), body: 'I am!' });

    const messages = await get(`/api/conversations/${conversationId}/messages`);
    expect(messages.body.items.at(-1)).toEqual(body.message);
    const conversation = await get(`/api/conversations/${conversationId}`);
    expect(conversation.body).toMatchObject({ firstResponseAt: body.message.createdAt, lastMessageAt: body.message.createdAt });
  });

  it('answers a repeat of the same clientId with 200, the first message and duplicate: true, and stores it once', async () => {
    const { conversationId } = await visitorWrites('Can I change my address?');
    const clientId = randomUUID();
    const first = await reply(conversationId, { clientId, body: 'Sure, what is the new one?' });
    const before = await snapshot(conversationId);

    const again = await reply(conversationId, { clientId, body: 'Sure, what is the new one?' });
    const edited = await reply(conversationId, { clientId, body: 'A retry whose text changed' });

    expect(first.status).toBe(201);
    for (const repeat of [again, edited]) {
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual({ message: first.body.message, duplicate: true });
    }
    const rows = await hub.db.query('SELECT id FROM messages WHERE external_id = $1', [clientId]);
    expect(rows).toEqual([{ id: first.body.message.id }]);
    expect(await snapshot(conversationId)).toEqual(before);
  });

  it('answers 409 client_id_conflict when a clientId already used in another conversation comes back, storing nothing', async () => {
    const first = await visitorWrites('First customer');
    const second = await visitorWrites('Second customer');
    const clientId = randomUUID();
    expect((await reply(first.conversationId, { clientId, body: 'For the first' })).status).toBe(201);
    const before = await snapshot(second.conversationId);

    const reused = await reply(second.conversationId, { clientId, body: 'For the second' });

    expect(reused.status).toBe(409);
    expect(reused.body).toEqual(errorBody('client_id_conflict'));
    expect(await snapshot(second.conversationId)).toEqual(before);
  });

  it('stores two simultaneous sends of one clientId once', async () => {
    const { conversationId } = await visitorWrites('Hello?');
    const clientId = randomUUID();

    const responses = await Promise.all([1, 2, 3].map(() => reply(conversationId, { clientId, body: 'Hi there' })));

    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(responses.map((response) => response.body.message.id)).size).toBe(1);
    expect(await hub.db.query('SELECT id FROM messages WHERE external_id = $1', [clientId])).toHaveLength(1);
  });

  it('stores every send that carries no clientId', async () => {
    const { conversationId } = await visitorWrites('Hi');

    const first = await reply(conversationId, { body: 'One moment' });
    const second = await reply(conversationId, { body: 'One moment' });

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.message.id).not.toBe(second.body.message.id);
  });

  it.each([
    ['an empty body', ''],
    ['a whitespace-only body', ' \n\t '],
  ])('answers 400 message_empty to %s and stores nothing', async (_case, body) => {
    const { conversationId } = await visitorWrites('Hello');
    const before = await snapshot(conversationId);

    const response = await reply(conversationId, { clientId: randomUUID(), body });

    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('message_empty'));
    expect(await snapshot(conversationId)).toEqual(before);
  });

  it('answers 400 message_too_long to a body one character over the limit and stores nothing', async () => {
    const { conversationId } = await visitorWrites('Tell me everything');
    const before = await snapshot(conversationId);

    const response = await reply(conversationId, { clientId: randomUUID(), body: 'x'.repeat(hub.config.messageMaxLength + 1) });

    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('message_too_long'));
    expect(await snapshot(conversationId)).toEqual(before);
  });

  it('accepts a body exactly at the limit, counted after trimming', async () => {
    expect(hub.config.messageMaxLength).toBe(10_000);
    const { conversationId } = await visitorWrites('Tell me everything');
    const text = 'x'.repeat(hub.config.messageMaxLength);

    const response = await reply(conversationId, { clientId: randomUUID(), body: `  ${text}\n` });

    expect(response.status).toBe(201);
    expect(response.body.message.body).toBe(text);
  });

  it('answers 404 conversation_not_found to a conversation that does not exist and stores nothing', async () => {
    const { conversationId } = await visitorWrites('Hello');
    const before = await snapshot(conversationId);

    const response = await reply('cnv_00000000000000000000000000', { clientId: randomUUID(), body: 'Hello?' });

    expect(response.status).toBe(404);
    expect(response.body).toEqual(errorBody('conversation_not_found'));
    expect(await snapshot(conversationId)).toEqual(before);
  });

  it.each([
    ['no body', { clientId: 'c-1' }],
    ['a body that is not text', { clientId: 'c-2', body: 42 }],
    ['an empty clientId', { clientId: ' ', body: 'Hello' }],
    ['a clientId over 100 characters', { clientId: 'c'.repeat(101), body: 'Hello' }],
  ])('answers 400 validation_failed to %s and stores nothing', async (_case, payload) => {
    const { conversationId } = await visitorWrites('Hello');
    const before = await snapshot(conversationId);

    const response = await reply(conversationId, payload);

    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
    expect(await snapshot(conversationId)).toEqual(before);
  });

  it('answers 401 without a token and stores nothing', async () => {
    const { conversationId } = await visitorWrites('Hello');
    const before = await snapshot(conversationId);

    const response = await request(hub.handler).post(`/api/conversations/${conversationId}/messages`).send({ clientId: randomUUID(), body: 'Hi' });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(await snapshot(conversationId)).toEqual(before);
  });

  it('answers 415 to a body that is not JSON and stores nothing', async () => {
    const { conversationId } = await visitorWrites('Hello');
    const before = await snapshot(conversationId);

    const response = await request(hub.handler)
      .post(`/api/conversations/${conversationId}/messages`)
      .set('authorization', `Bearer ${hub.token}`)
      .set('content-type', 'text/plain')
      .send('Hi there');

    expect(response.status).toBe(415);
    expect(response.body).toEqual(errorBody('unsupported_media_type'));
    expect(await snapshot(conversationId)).toEqual(before);
  });
});
