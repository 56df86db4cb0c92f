import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';
import { mailClient } from '../../support/mail';
import { closeAllSockets, connectAgent, connectVisitor, nextEvent } from '../../support/sockets';

const hub = signedInHub();
let mail: ReturnType<typeof mailClient>;

beforeAll(() => {
  mail = mailClient(hub);
});
afterEach(closeAllSockets);
afterAll(() => mail.close());

const { auth, get, post } = hub;
const unique = () => randomUUID().slice(0, 8);

/** A widget visitor who chats, then a known customer (by email) who writes an email. */
async function duplicatePair() {
  const email = `pat-${unique()}@example.com`;
  const known = (await post('/api/customers', { email, name: 'Pat Known', attributes: { plan: 'gold', city: 'Oslo' }, tags: ['vip'] })).body;
  await mail.send({ from: email, subject: 'Invoice question', text: 'Where is my invoice?' });
  await waitFor(async () => (await hub.db.query('SELECT 1 FROM messages WHERE customer_id = $1', [known.id])).length === 1);

  const { socket, session } = await connectVisitor(hub.url);
  await socket.emitWithAck('visitor:identify', { name: 'Pat from chat' });
  const sent = await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'Hello from the chat' });
  await post(`/api/customers/${session.customerId}/notes`, { body: 'Seems to be the same person as Pat Known' });
  await request(hub.handler).patch(`/api/customers/${session.customerId}`).set(auth()).send({ attributes: { city: 'Bergen', browser: 'Firefox' }, tags: ['chat'] });
  return { known, visitor: { customerId: session.customerId, socket, visitorId: session.visitorId, messageId: sent.message.id as string } };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('POST /api/customers/:id/merge', () => {
  it('moves identities, conversations, messages, notes and timeline to the survivor, and records the merge', async () => {
    const { known, visitor } = await duplicatePair();
    const before = await hub.db.query<{ table_name: string; n: string }>(
      `SELECT 'timeline' AS table_name, count(*)::text AS n FROM timeline_events WHERE customer_id = ANY($1)
       UNION ALL SELECT 'messages', count(*)::text FROM messages WHERE customer_id = ANY($1)`,
      [[known.id, visitor.customerId]],
    );

    const response = await post(`/api/customers/${known.id}/merge`, { sourceId: visitor.customerId, reason: 'same person' });

    expect(response.status).toBe(200);
    expect(response.body.customer).toMatchObject({
      id: known.id,
      name: 'Pat Known',
      attributes: { plan: 'gold', city: 'Oslo', browser: 'Firefox' },
      tags: expect.arrayContaining(['vip', 'chat']),
    });
    expect(response.body.merge).toMatchObject({
      id: expect.stringMatching(/^mrg_/),
      sourceId: visitor.customerId,
      targetId: known.id,
      source: { name: 'Pat from chat', attributes: { city: 'Bergen', browser: 'Firefox' }, tags: ['chat'] },
      moved: expect.objectContaining({ conversations: 1, messages: 1, notes: 1 }),
    });
    const after = await hub.db.query<{ table_name: string; n: string }>(
      `SELECT 'timeline' AS table_name, count(*)::text AS n FROM timeline_events WHERE customer_id = $1
       UNION ALL SELECT 'messages', count(*)::text FROM messages WHERE customer_id = $1`,
      [known.id],
    );
    // Everything both had, plus the merge event itself.
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n) + 1);
    expect(after[1]!.n).toBe(before[1]!.n);

    const timeline = (await get(`/api/customers/${known.id}/timeline?kind=customer.merged`)).body.items;
    expect(timeline).toEqual([expect.objectContaining({ kind: 'customer.merged', reference: response.body.merge.id })]);
    expect((await get(`/api/customer-merges/${response.body.merge.id}`)).body).toEqual(response.body.merge);
    expect((await get(`/api/customers/${known.id}/merges`)).body.items).toEqual([response.body.merge]);
  });

  it('answers for the merged customer with 410 customer_merged and where they went', async () => {
    const { known, visitor } = await duplicatePair();
    await post(`/api/customers/${known.id}/merge`, { sourceId: visitor.customerId });

    const response = await get(`/api/customers/${visitor.customerId}`);

    expect(response.status).toBe(410);
    expect(response.body.error).toMatchObject({ code: 'customer_merged', details: { mergedInto: known.id } });
    expect((await get(`/api/customers?q=Pat`)).body.items.map((customer: { id: string }) => customer.id)).not.toContain(visitor.customerId);
  });

  it("sends the merged visitor's next chat message to the survivor", async () => {
    const { known, visitor } = await duplicatePair();
    await post(`/api/customers/${known.id}/merge`, { sourceId: visitor.customerId });

    const ack = await visitor.socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'Still there?' });

    expect(ack).toMatchObject({ ok: true, message: { customerId: known.id } });
    const since = await visitor.socket.emitWithAck('messages:since', {});
    expect(since.messages.map((message: { body: string }) => message.body)).toEqual(['Hello from the chat', 'Still there?']);
  });

  it("tells the consoles, and the merged visitor's open widget hears the agent's answers", async () => {
    const { known, visitor } = await duplicatePair();
    const agent = await connectAgent(hub.url, hub.token);
    const announced = nextEvent(agent, 'customer:merged');

    const merged = await post(`/api/customers/${known.id}/merge`, { sourceId: visitor.customerId });

    await expect(announced).resolves.toEqual({ mergeId: merged.body.merge.id, sourceId: visitor.customerId, targetId: known.id });
    const [chat] = await hub.db.query<{ id: string }>("SELECT id FROM conversations WHERE customer_id = $1 AND channel = 'chat'", [known.id]);
    const heard = nextEvent(visitor.socket, 'message:new', (message: { body: string }) => message.body === 'We found your order');
    await post(`/api/conversations/${chat!.id}/messages`, { clientId: randomUUID(), body: 'We found your order' });
    await expect(heard).resolves.toMatchObject({ customerId: known.id });
  });

  it.each([
    ['into itself', (ids: { known: string }) => [ids.known, ids.known], 409, 'merge_conflict'],
    ['an unknown customer', (ids: { known: string }) => [ids.known, 'cus_nobody'], 404, 'customer_not_found'],
  ])('refuses to merge %s and changes nothing', async (_case, pick, status, code) => {
    const { known, visitor } = await duplicatePair();
    const [target, source] = pick({ known: known.id });

    const response = await post(`/api/customers/${target}/merge`, { sourceId: source });

    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect((await get(`/api/customers/${visitor.customerId}`)).status).toBe(200);
    expect((await get(`/api/customers/${known.id}/merges`)).body.items).toEqual([]);
  });

  it('refuses to merge into or from an erased customer', async () => {
    const { known, visitor } = await duplicatePair();
    await post(`/api/customers/${known.id}/erase`, { reason: 'request by email' });

    const into = await post(`/api/customers/${known.id}/merge`, { sourceId: visitor.customerId });
    const from = await post(`/api/customers/${visitor.customerId}/merge`, { sourceId: known.id });

    expect([into.status, into.body.error.code]).toEqual([409, 'customer_erased']);
    expect([from.status, from.body.error.code]).toEqual([409, 'customer_erased']);
    expect((await get(`/api/customers/${visitor.customerId}`)).status).toBe(200);
  });

  it("moves the source's orders and recomputes the survivor's order metrics", async () => {
    const { known, visitor } = await duplicatePair();
    const order = (customerId: string, unitPrice: string, daysAgo: number) =>
      post(`/api/customers/${customerId}/orders`, {
        number: `M-${unique()}`,
        currency: 'EUR',
        items: [{ product: 'Lamp', quantity: 1, unitPrice }],
        placedAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
      });
    const older = await order(visitor.customerId, '10.00', 30);
    const newer = await order(known.id, '5.50', 2);

    const response = await post(`/api/customers/${known.id}/merge`, { sourceId: visitor.customerId });

    expect(response.body.merge.moved).toMatchObject({ orders: 1 });
    expect(response.body.customer.orders).toEqual({
      count: 2,
      lifetimeValue: '15.50',
      currency: 'EUR',
      firstOrderAt: older.body.order.placedAt,
      lastOrderAt: newer.body.order.placedAt,
    });
    expect((await get(`/api/customers/${known.id}/orders`)).body.items.map((item: { id: string }) => item.id)).toEqual([newer.body.order.id, older.body.order.id]);
  });

  it('refuses to merge customers whose orders are in different currencies, and changes nothing', async () => {
    const { known, visitor } = await duplicatePair();
    await post(`/api/customers/${known.id}/orders`, { number: `C-${unique()}`, currency: 'EUR', items: [{ product: 'Lamp', quantity: 1, unitPrice: '1.00' }] });
    await post(`/api/customers/${visitor.customerId}/orders`, { number: `C-${unique()}`, currency: 'USD', items: [{ product: 'Lamp', quantity: 1, unitPrice: '1.00' }] });

    const response = await post(`/api/customers/${known.id}/merge`, { sourceId: visitor.customerId });

    expect([response.status, response.body.error.code]).toEqual([422, 'currency_mismatch']);
    expect((await get(`/api/customers/${visitor.customerId}`)).body.orders.count).toBe(1);
    expect((await get(`/api/customers/${known.id}`)).body.orders.count).toBe(1);
  });

  it('refuses a second merge of a customer already merged away', async () => {
    const { known, visitor } = await duplicatePair();
    const other = (await post('/api/customers', { email: `other-${unique()}@example.com` })).body;
    await post(`/api/customers/${known.id}/merge`, { sourceId: visitor.customerId });

    const response = await post(`/api/customers/${other.id}/merge`, { sourceId: visitor.customerId });

    expect(response.status).toBe(410);
    expect(response.body.error.code).toBe('customer_merged');
  });
});

describe('POST /api/customers/:id/erase and GET /api/customers/:id/export', () => {
  it('exports everything held about the customer as one JSON document', async () => {
    const { known, visitor } = await duplicatePair();
    await post(`/api/customers/${known.id}/merge`, { sourceId: visitor.customerId });

    const response = await get(`/api/customers/${known.id}/export`);

    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="customer-${known.id}.json"`);
    const document = response.body;
    expect(document.customer).toMatchObject({ id: known.id, name: 'Pat Known' });
    expect(document.identities).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'email', value: known.email })]));
    expect(document.conversations).toHaveLength(2);
    expect(document.messages.map((message: { body: string }) => message.body)).toEqual(['Where is my invoice?', 'Hello from the chat']);
    expect(document.notes).toEqual([expect.objectContaining({ body: 'Seems to be the same person as Pat Known' })]);
    expect(document.merges).toEqual([expect.objectContaining({ sourceId: visitor.customerId })]);
    expect(document.timeline.map((event: { kind: string }) => event.kind)).toEqual(expect.arrayContaining(['message.received', 'note.added', 'customer.merged']));
    for (const key of ['orders', 'formSubmissions', 'attachments', 'erasures']) expect(document[key]).toEqual(expect.any(Array));
  });

  it('removes personal fields and message bodies, keeps an audit record, and answers a repeat with the same record', async () => {
    const { known, visitor } = await duplicatePair();
    await post(`/api/customers/${known.id}/merge`, { sourceId: visitor.customerId });

    const response = await post(`/api/customers/${known.id}/erase`, { reason: 'GDPR art. 17 request' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^era_/),
      customerId: known.id,
      reason: 'GDPR art. 17 request',
      erased: expect.objectContaining({ messages: 2, notes: 1, identities: expect.any(Number) }),
    });
    const customer = (await get(`/api/customers/${known.id}`)).body;
    expect(customer).toMatchObject({ name: null, email: null, identities: [], attributes: {}, tags: [], erasedAt: expect.any(String) });
    const messages = await hub.db.query<{ body: string; subject: string | null; text_full: string | null; html: string | null }>(
      'SELECT body, subject, text_full, html FROM messages WHERE customer_id = $1',
      [known.id],
    );
    expect(messages).toEqual([
      { body: '[erased]', subject: null, text_full: null, html: null },
      { body: '[erased]', subject: null, text_full: null, html: null },
    ]);
    const leaks = await hub.db.query(
      `SELECT 1 FROM timeline_events WHERE customer_id = $1 AND data::text ILIKE '%invoice%'
       UNION ALL SELECT 1 FROM notes WHERE customer_id = $1 AND body ILIKE '%Pat%'
       UNION ALL SELECT 1 FROM customer_merges WHERE target_id = $1 AND source_snapshot::text ILIKE '%Pat%'
       UNION ALL SELECT 1 FROM customer_identities WHERE customer_id = $1`,
      [known.id],
    );
    expect(leaks).toEqual([]);
    expect((await get(`/api/customers/${known.id}/timeline?kind=customer.erased`)).body.items).toHaveLength(1);

    const again = await post(`/api/customers/${known.id}/erase`, { reason: 'asked twice' });
    expect(again.body).toEqual(response.body);
  });

  it('starts a new customer when the erased person writes again', async () => {
    const { known } = await duplicatePair();
    await post(`/api/customers/${known.id}/erase`);

    await mail.send({ from: known.email, subject: 'Back again', text: 'Hello again' });
    await waitFor(async () => (await hub.db.query("SELECT 1 FROM customer_identities WHERE kind = 'email' AND value = $1", [known.email])).length === 1);

    const [owner] = await hub.db.query<{ customer_id: string }>("SELECT customer_id FROM customer_identities WHERE kind = 'email' AND value = $1", [known.email]);
    expect(owner!.customer_id).not.toBe(known.id);
  });

  it('refuses to change an erased customer', async () => {
    const { known } = await duplicatePair();
    await post(`/api/customers/${known.id}/erase`);

    const response = await request(hub.handler).patch(`/api/customers/${known.id}`).set(auth()).send({ name: 'Back' });

    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('customer_erased');
  });
});
