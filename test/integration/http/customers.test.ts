import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestHub, type TestHub } from '../../support/hub';
import { closeAllSockets, connectVisitor, login } from '../../support/sockets';

let hub: TestHub;
let token: string;

beforeAll(async () => {
  hub = await startTestHub();
  ({ token } = await login(hub.url));
});
afterEach(closeAllSockets);
afterAll(() => hub.stop());

const get = (path: string) => request(hub.handler).get(path).set('authorization', `Bearer ${token}`);
const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });
const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

type Event = { id: string; customerId: string; at: string; kind: string; reference: string | null; data: Record<string, unknown> };

/** A new widget visitor who writes each of `bodies`, in order. */
async function visitorWrites(...bodies: string[]) {
  const { socket, session } = await connectVisitor(hub.url);
  const messages: { id: string; conversationId: string }[] = [];
  for (const body of bodies) {
    const ack = await socket.emitWithAck('message:send', { clientId: randomUUID(), body });
    if (!ack.ok) throw new Error(`the visitor could not write: ${JSON.stringify(ack)}`);
    messages.push(ack.message);
  }
  return { socket, session, messages };
}

describe('GET /api/customers/:id/timeline', () => {
  let customerId: string;
  let conversationId: string;
  let newestFirst: [kind: string, reference: string][];

  beforeAll(async () => {
    const { session, messages } = await visitorWrites('Hi', 'I have a question about my bill', 'It looks too high');
    customerId = session.customerId;
    conversationId = messages[0]!.conversationId;
    newestFirst = [
      ...messages.map((message) => ['message.received', message.id] as [string, string]).reverse(),
      ['conversation.opened', conversationId],
    ];
    await visitorWrites('Another customer, another timeline');
  });

  it('lists what happened with the customer, newest first', async () => {
    const response = await get(`/api/customers/${customerId}/timeline`);

    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    const items = response.body.items as Event[];
    expect(items.map((event) => [event.kind, event.reference])).toEqual(newestFirst);
    expect(items.every((event) => event.customerId === customerId)).toBe(true);
    expect(items[0]).toMatchObject({ id: expect.stringMatching(/^evt_/), data: { conversationId, channel: 'chat', excerpt: 'It looks too high' } });
    expect(items.at(-1)).toMatchObject({ data: { channel: 'chat' } });
    const times = items.map((event) => Date.parse(event.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('walks every event exactly once, newest first, with limit=2', async () => {
    const pages: Event[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const response = await get(`/api/customers/${customerId}/timeline?${query}`);
      expect(response.status).toBe(200);
      pages.push(response.body.items);
      cursor = response.body.nextCursor;
    } while (cursor && pages.length < 10);

    expect(pages.map((page) => page.length)).toEqual([2, 2]);
    expect(pages.flat().map((event) => [event.kind, event.reference])).toEqual(newestFirst);
  });

  it("puts an agent's reply on top as message.sent", async () => {
    const reply = await request(hub.handler)
      .post(`/api/conversations/${conversationId}/messages`)
      .set('authorization', `Bearer ${token}`)
      .send({ clientId: randomUUID(), body: 'Let me check that for you' });

    const response = await get(`/api/customers/${customerId}/timeline?limit=1`);

    expect(response.body.items).toEqual([
      expect.objectContaining({
        kind: 'message.sent',
        reference: reply.body.message.id,
        data: expect.objectContaining({ author: 'agent', conversationId }),
      }),
    ]);
    expect(response.body.nextCursor).toEqual(expect.any(String));
  });

  it('answers 404 customer_not_found for a customer that does not exist', async () => {
    const response = await get('/api/customers/cus_00000000000000000000000000/timeline');
    expect(response.status).toBe(404);
    expect(response.body).toEqual(errorBody('customer_not_found'));
  });

  it('answers 401 without a token', async () => {
    const response = await request(hub.handler).get(`/api/customers/${customerId}/timeline`);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it.each([
    ['garbage', 'garbage!'],
    ['a key of the wrong shape', cursorOf([42])],
  ])('answers 400 invalid_cursor to a cursor that is %s', async (_case, cursor) => {
    const response = await get(`/api/customers/${customerId}/timeline?cursor=${encodeURIComponent(cursor)}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('invalid_cursor'));
  });

  it('answers 400 invalid_cursor to a cursor whose timestamp is not a date', async () => {
    const response = await get(`/api/customers/${customerId}/timeline?cursor=${cursorOf(['not-a-date', 'evt_x'])}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('invalid_cursor'));
  });

  it.each(['0', '101'])('answers 400 validation_failed to limit=%s', async (limit) => {
    const response = await get(`/api/customers/${customerId}/timeline?limit=${limit}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });
});

describe('GET /api/customers/:id', () => {
  it('answers 200 with the customer a widget visitor became', async () => {
    const { session } = await visitorWrites('Hello');
    const response = await get(`/api/customers/${session.customerId}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: session.customerId,
      name: null,
      email: null,
      phone: null,
      externalId: null,
      // The visitor id is a secret that opens the chat: agents never see it.
      identities: [],
      attributes: {},
      tags: [],
      orders: { count: 0, lifetimeValue: '0.00', currency: null, firstOrderAt: null, lastOrderAt: null },
      rfm: null,
      erasedAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('shows the name the visitor gave', async () => {
    const { socket, session } = await visitorWrites('Hello');
    const ack = await socket.emitWithAck('visitor:identify', { name: 'Ada Lovelace' });
    expect(ack.ok).toBe(true);

    const response = await get(`/api/customers/${session.customerId}`);
    expect(response.body.name).toBe('Ada Lovelace');
  });

  it('answers 404 customer_not_found for a customer that does not exist', async () => {
    const response = await get('/api/customers/cus_00000000000000000000000000');
    expect(response.status).toBe(404);
    expect(response.body).toEqual(errorBody('customer_not_found'));
  });
});
