import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';
import { mailClient } from '../../support/mail';
import { closeAllSockets, connectVisitor } from '../../support/sockets';

/**
 * The acceptance story: a customer writes by chat, then email, then a web form, and orders
 * twice. One customer, one timeline in the right order, correct metrics and RFM segment.
 */
const hub = signedInHub({ RFM_RECOMPUTE_DELAY_MS: '0' });
afterEach(closeAllSockets);

const { get, post } = hub;

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('keeps one customer and one timeline across chat, email, a form and two orders', async () => {
  const email = `mia-${randomUUID().slice(0, 8)}@example.com`;

  // 1. Chat: a visitor writes, then tells us their email.
  const { socket, session } = await connectVisitor(hub.url);
  const chat = await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'Hi, do you ship to Norway?' });
  const identified = await socket.emitWithAck('visitor:identify', { email: email.toUpperCase(), name: 'Mia Berg' });
  expect(identified).toMatchObject({ ok: true, emailLinked: true });
  const customerId = session.customerId;

  // 2. Email from the same address.
  const mail = mailClient(hub);
  await mail.send({ from: `Mia Berg <${email}>`, subject: 'Shipping to Norway', text: 'Following up on my chat question.' });
  mail.close();
  await waitFor(() => hub.db.query("SELECT 1 FROM messages WHERE customer_id = $1 AND channel = 'email'", [customerId]), (rows) => rows.length === 1);

  // 3. A web form with the same email, posted like a browser's fetch.
  const form = await post('/api/forms', {
    key: `contact-${randomUUID().slice(0, 8)}`,
    name: 'Contact us',
    fieldMap: { email: 'email', name: 'full_name', message: 'message' },
    opensConversation: true,
  });
  expect(form.status).toBe(201);
  const submitted = await request(hub.handler)
    .post(`/api/forms/${form.body.key}`)
    .set('accept', 'application/json')
    .send({ email, full_name: 'Mia Berg', message: 'Please call me about a bulk order', company: 'Berg AS' });
  expect(submitted.status).toBe(201);
  expect(submitted.body.customerId).toBe(customerId);

  // 4. Two orders.
  const placedAt = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
  const first = await post(`/api/customers/${customerId}/orders`, {
    number: `A-${randomUUID().slice(0, 6)}`,
    currency: 'NOK',
    items: [{ product: 'Tent', quantity: 1, unitPrice: '1999.00' }],
    placedAt: placedAt(1),
  });
  const second = await post(`/api/customers/${customerId}/orders`, {
    number: `A-${randomUUID().slice(0, 6)}`,
    currency: 'NOK',
    items: [
      { product: 'Sleeping bag', quantity: 2, unitPrice: '499.50' },
      { product: 'Stove', quantity: 1, unitPrice: '350' },
    ],
  });
  expect([first.status, second.status]).toEqual([201, 201]);

  // One customer owns every identity and every conversation.
  const customer = (await get(`/api/customers/${customerId}`)).body;
  expect(customer).toMatchObject({ id: customerId, name: 'Mia Berg', email });
  const owners = await hub.db.query<{ customer_id: string }>('SELECT DISTINCT customer_id FROM conversations WHERE customer_id = $1 OR id IN (SELECT conversation_id FROM messages WHERE body LIKE $2)', [
    customerId,
    '%Norway%',
  ]);
  expect(owners).toEqual([{ customer_id: customerId }]);
  const channels = await hub.db.query<{ channel: string }>('SELECT channel FROM conversations WHERE customer_id = $1 ORDER BY created_at', [customerId]);
  expect(channels.map((row) => row.channel)).toEqual(['chat', 'email', 'form']);

  // One timeline, in the order it happened.
  const timeline = (await get(`/api/customers/${customerId}/timeline?order=oldest&limit=100`)).body.items as { kind: string; reference: string; data: Record<string, unknown> }[];
  const story = timeline.map((event) => event.kind);
  expect(story).toEqual([
    'order.placed', // placed a day ago, before everything else happened
    'conversation.opened',
    'message.received',
    'conversation.opened',
    'message.received',
    'conversation.opened',
    'message.received',
    'form.submitted',
    'order.placed',
  ]);
  expect(timeline[2]!.reference).toBe(chat.message.id);
  expect(timeline[7]!.data).toMatchObject({ fields: { email, full_name: 'Mia Berg', message: 'Please call me about a bulk order', company: 'Berg AS' } });
  expect(timeline.filter((event) => event.kind === 'message.received').map((event) => event.data.channel)).toEqual(['chat', 'email', 'form']);

  // Metrics: two orders, 1999.00 + 2 × 499.50 + 350.00.
  expect(customer.orders).toEqual({
    count: 2,
    lifetimeValue: '3348.00',
    currency: 'NOK',
    firstOrderAt: first.body.order.placedAt,
    lastOrderAt: second.body.order.placedAt,
  });

  // The RFM worker scores them: the only customer with orders is the best on every axis.
  const scored = await waitFor(() => get(`/api/customers/${customerId}`).then((response) => response.body), (body) => body.rfm !== null);
  expect(scored.rfm).toMatchObject({ recency: 5, frequency: 5, monetary: 5, segment: 'Champions' });
});
