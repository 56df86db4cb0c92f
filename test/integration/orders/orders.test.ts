import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';

const hub = signedInHub();

const { get, post } = hub;
const errorBody = (code: string) => ({ error: expect.objectContaining({ code, message: expect.any(String) }) });
const unique = () => randomUUID().slice(0, 8);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

async function newCustomer(): Promise<string> {
  const response = await post('/api/customers', { email: `buyer-${unique()}@example.com` });
  expect(response.status).toBe(201);
  return response.body.id;
}

const anOrder = (fields: Record<string, unknown> = {}) => ({
  number: `N-${unique()}`,
  currency: 'EUR',
  items: [{ product: 'Mug', quantity: 2, unitPrice: '9.95' }],
  ...fields,
});

const placeOrder = (customerId: string, order: unknown) => post(`/api/customers/${customerId}/orders`, order);

/** Everything an order write may touch, to prove a refused write stored nothing. */
async function snapshot(customerId: string) {
  const [row] = await hub.db.query(
    `SELECT (SELECT count(*) FROM orders) AS orders,
            (SELECT count(*) FROM timeline_events) AS events,
            (SELECT max(updated_at) FROM orders) AS last_order_update,
            c.order_count, c.lifetime_value::text, c.currency, c.first_order_at, c.last_order_at
       FROM customers c WHERE c.id = $1`,
    [customerId],
  );
  return row;
}

async function orderEvents(orderId: string) {
  return hub.db.query<{ kind: string; at: Date; customer_id: string; data: Record<string, unknown> }>(
    'SELECT kind, at, customer_id, data FROM timeline_events WHERE reference = $1 ORDER BY at, id',
    [orderId],
  );
}

describe('POST /api/customers/:id/orders', () => {
  it('records an order with an exact total computed from its items, and answers 201', async () => {
    const customerId = await newCustomer();
    const number = `N-${unique()}`;
    const response = await placeOrder(customerId, {
      number,
      currency: 'EUR',
      items: [
        { product: 'Mug', quantity: 2, unitPrice: '9.95' },
        { product: 'Tea', quantity: 3, unitPrice: 0.1, currency: 'EUR' },
      ],
    });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      created: true,
      order: {
        id: expect.stringMatching(/^ord_/),
        customerId,
        source: 'default',
        number,
        status: 'paid',
        currency: 'EUR',
        total: '20.20',
        items: [
          { product: 'Mug', quantity: 2, unitPrice: '9.95' },
          { product: 'Tea', quantity: 3, unitPrice: '0.10' },
        ],
        placedAt: expect.any(String),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    });
    expect(Math.abs(Date.parse(response.body.order.placedAt) - Date.now())).toBeLessThan(60_000);
    expect((await get(`/api/orders/${response.body.order.id}`)).body).toEqual(response.body.order);
  });

  it('accepts a total that adds up, given as a string or a number', async () => {
    const customerId = await newCustomer();
    const items = [{ product: 'Lamp', quantity: 3, unitPrice: 19.9 }];

    expect((await placeOrder(customerId, anOrder({ items, total: 59.7 }))).body.order.total).toBe('59.70');
    expect((await placeOrder(customerId, anOrder({ items, total: '59.70' }))).body.order.total).toBe('59.70');
  });

  it('puts order.placed on the timeline at the time the order was placed', async () => {
    const customerId = await newCustomer();
    const placedAt = daysAgo(3);
    const { order } = (await placeOrder(customerId, anOrder({ source: 'shop', placedAt, status: 'pending' }))).body;

    const events = await orderEvents(order.id);
    expect(events).toEqual([
      {
        kind: 'order.placed',
        at: new Date(placedAt),
        customer_id: customerId,
        data: { orderId: order.id, source: 'shop', number: order.number, currency: 'EUR', total: '19.90', status: 'pending', itemCount: 1 },
      },
    ]);
  });

  it('answers a repeat of the same order with 200 and writes nothing', async () => {
    const customerId = await newCustomer();
    const order = anOrder({ source: 'shop' });
    const first = await placeOrder(customerId, { ...order, placedAt: daysAgo(1) });
    const before = await snapshot(customerId);

    // Without placedAt, and with the total spelled out: still the same order.
    const repeat = await placeOrder(customerId, { ...order, total: '19.9' });

    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual({ order: first.body.order, created: false });
    expect(await snapshot(customerId)).toEqual(before);
  });

  it('updates the status of a repeat that differs only in status, with order.updated on the timeline', async () => {
    const customerId = await newCustomer();
    const order = anOrder();
    const { order: placed } = (await placeOrder(customerId, order)).body;

    const response = await placeOrder(customerId, { ...order, status: 'refunded' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ created: false, order: { ...placed, status: 'refunded', updatedAt: expect.any(String) } });
    expect((await get(`/api/orders/${placed.id}`)).body.status).toBe('refunded');
    const events = await orderEvents(placed.id);
    expect(events.map((event) => [event.kind, event.data])).toEqual([
      ['order.placed', expect.objectContaining({ status: 'paid' })],
      ['order.updated', { orderId: placed.id, source: 'default', number: order.number, from: 'paid', to: 'refunded' }],
    ]);
  });

  it.each([
    ['other items', { items: [{ product: 'Mug', quantity: 3, unitPrice: '9.95' }] }],
    ['another price', { items: [{ product: 'Mug', quantity: 2, unitPrice: '9.96' }] }],
    ['another currency', { currency: 'USD', items: [{ product: 'Mug', quantity: 2, unitPrice: '9.95' }] }],
  ])('refuses the same number with %s as order_conflict, writing nothing', async (_case, change) => {
    const customerId = await newCustomer();
    const order = anOrder();
    await placeOrder(customerId, order);
    const before = await snapshot(customerId);

    const response = await placeOrder(customerId, { ...order, ...change, status: 'fulfilled' });

    expect(response.status).toBe(409);
    expect(response.body).toEqual(errorBody('order_conflict'));
    expect(await snapshot(customerId)).toEqual(before);
  });

  it("refuses another customer's order number from the same source as order_conflict", async () => {
    const order = anOrder({ source: 'shop' });
    await placeOrder(await newCustomer(), order);
    const other = await newCustomer();

    const response = await placeOrder(other, order);

    expect(response.status).toBe(409);
    expect(response.body).toEqual(errorBody('order_conflict'));
    expect((await placeOrder(other, { ...order, source: 'pos' })).status).toBe(201);
  });

  const line = { product: 'Mug', quantity: 1, unitPrice: '5.00' };
  it.each([
    ['a zero quantity', { items: [{ ...line, quantity: 0 }] }],
    ['a negative quantity', { items: [{ ...line, quantity: -1 }] }],
    ['a fractional quantity', { items: [{ ...line, quantity: 1.5 }] }],
    ['a quantity as a string', { items: [{ ...line, quantity: '1' }] }],
    ['a negative price', { items: [{ ...line, unitPrice: '-5.00' }] }],
    ['a negative price as a number', { items: [{ ...line, unitPrice: -5 }] }],
    ['a price with 3 decimals', { items: [{ ...line, unitPrice: '5.001' }] }],
    ['a price that is not a number', { items: [{ ...line, unitPrice: 'five' }] }],
    ['a total that does not add up', { items: [line], total: '5.01' }],
    ['a total with 3 decimals', { items: [line], total: '5.000' }],
    ['no items', { items: [] }],
    ['501 items', { items: Array.from({ length: 501 }, () => line) }],
    ['a lower-case currency', { currency: 'eur' }],
    ['a currency that is not 3 letters', { currency: 'EURO' }],
    ['an item currency that is not ISO 4217', { items: [{ ...line, currency: 'euro' }] }],
    ['an unknown status', { status: 'shipped' }],
    ['placedAt two days ahead', { placedAt: new Date(Date.now() + 2 * 86_400_000).toISOString() }],
    ['placedAt that is not a time', { placedAt: 'yesterday' }],
    ['no number', { number: undefined }],
    ['an unknown field', { discount: '1.00' }],
  ])('refuses %s with 400 and writes nothing', async (_case, change) => {
    const customerId = await newCustomer();
    await placeOrder(customerId, anOrder());
    const before = await snapshot(customerId);

    const response = await placeOrder(customerId, anOrder(change));

    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
    expect(await snapshot(customerId)).toEqual(before);
  });

  it('accepts 500 items and a placedAt within a day ahead', async () => {
    const customerId = await newCustomer();
    const response = await placeOrder(
      customerId,
      anOrder({ items: Array.from({ length: 500 }, () => line), placedAt: new Date(Date.now() + 23 * 3_600_000).toISOString() }),
    );

    expect(response.status).toBe(201);
    expect(response.body.order.total).toBe('2500.00');
  });

  it('refuses an item priced in another currency than its order with 422 currency_mismatch', async () => {
    const customerId = await newCustomer();
    const before = await snapshot(customerId);

    const response = await placeOrder(customerId, anOrder({ items: [line, { ...line, currency: 'USD' }] }));

    expect(response.status).toBe(422);
    expect(response.body).toEqual(errorBody('currency_mismatch'));
    expect(await snapshot(customerId)).toEqual(before);
  });

  it("refuses an order in another currency than the customer's earlier orders, even cancelled ones", async () => {
    const customerId = await newCustomer();
    await placeOrder(customerId, anOrder({ status: 'cancelled' }));
    const before = await snapshot(customerId);

    const response = await placeOrder(customerId, anOrder({ currency: 'USD' }));

    expect(response.status).toBe(422);
    expect(response.body).toEqual(errorBody('currency_mismatch'));
    expect(await snapshot(customerId)).toEqual(before);
    expect((await placeOrder(await newCustomer(), anOrder({ currency: 'USD' }))).status).toBe(201);
  });

  it('answers 404 for an unknown customer, 410 for a merged one and 409 for an erased one, writing nothing', async () => {
    const [survivor, merged, erased] = [await newCustomer(), await newCustomer(), await newCustomer()];
    expect((await post(`/api/customers/${survivor}/merge`, { sourceId: merged })).status).toBe(200);
    expect((await post(`/api/customers/${erased}/erase`, {})).status).toBe(200);
    const [before] = await hub.db.query('SELECT count(*) AS orders FROM orders');

    const unknown = await placeOrder('cus_unknown', anOrder());
    const toMerged = await placeOrder(merged, anOrder());
    const toErased = await placeOrder(erased, anOrder());

    expect([unknown.status, unknown.body]).toEqual([404, errorBody('customer_not_found')]);
    expect([toMerged.status, toMerged.body]).toEqual([410, errorBody('customer_merged')]);
    expect([toErased.status, toErased.body]).toEqual([409, errorBody('customer_erased')]);
    expect(await hub.db.query('SELECT count(*) AS orders FROM orders')).toEqual([before]);
  });

  it('needs an agent hub.token', async () => {
    const response = await request(hub.handler).post(`/api/customers/${await newCustomer()}/orders`).send(anOrder());
    expect(response.status).toBe(401);
  });
});

describe("a customer's order metrics", () => {
  const metricsOf = async (customerId: string) => (await get(`/api/customers/${customerId}`)).body.orders;

  it('count pending, paid and fulfilled orders, not cancelled or refunded ones, as each order is written', async () => {
    const customerId = await newCustomer();
    const [first, second, third] = [daysAgo(30), daysAgo(10), daysAgo(2)];
    await placeOrder(customerId, anOrder({ items: [{ product: 'A', quantity: 1, unitPrice: '10.10' }], placedAt: first }));
    await placeOrder(customerId, anOrder({ items: [{ product: 'B', quantity: 3, unitPrice: '0.30' }], placedAt: second, status: 'pending' }));
    const late = anOrder({ items: [{ product: 'C', quantity: 1, unitPrice: '100.00' }], placedAt: third, status: 'cancelled' });
    await placeOrder(customerId, late);
    await placeOrder(customerId, anOrder({ items: [{ product: 'D', quantity: 2, unitPrice: '0.05' }], placedAt: daysAgo(20), status: 'refunded' }));

    expect(await metricsOf(customerId)).toEqual({ count: 2, lifetimeValue: '11.00', currency: 'EUR', firstOrderAt: first, lastOrderAt: second });

    await placeOrder(customerId, { ...late, status: 'fulfilled' });
    expect(await metricsOf(customerId)).toEqual({ count: 3, lifetimeValue: '111.00', currency: 'EUR', firstOrderAt: first, lastOrderAt: third });

    await placeOrder(customerId, { ...late, status: 'refunded' });
    expect(await metricsOf(customerId)).toEqual({ count: 2, lifetimeValue: '11.00', currency: 'EUR', firstOrderAt: first, lastOrderAt: second });
  });

  it('keep the currency of a customer whose only order was cancelled, with nothing counted', async () => {
    const customerId = await newCustomer();
    await placeOrder(customerId, anOrder({ status: 'cancelled' }));

    expect(await metricsOf(customerId)).toEqual({ count: 0, lifetimeValue: '0.00', currency: 'EUR', firstOrderAt: null, lastOrderAt: null });
  });
});

describe('GET /api/customers/:id/orders and GET /api/orders/:id', () => {
  it("walks a customer's orders newest placed first, each once, a page at a time", async () => {
    const customerId = await newCustomer();
    const placed: string[] = [];
    for (const days of [5, 1, 9, 3, 7]) {
      placed.push((await placeOrder(customerId, anOrder({ placedAt: daysAgo(days) }))).body.order.id);
    }
    await placeOrder(await newCustomer(), anOrder());
    const newestFirst = [placed[1], placed[3], placed[0], placed[4], placed[2]];

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const response = await get(`/api/customers/${customerId}/orders?${query}`);
      expect(response.status).toBe(200);
      pages.push(response.body.items.map((order: { id: string }) => order.id));
      cursor = response.body.nextCursor;
    } while (cursor && pages.length < 10);

    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(newestFirst);
  });

  it('answers 404 for an unknown customer or order and 400 for a cursor it did not issue', async () => {
    expect((await get('/api/customers/cus_unknown/orders')).body).toEqual(errorBody('customer_not_found'));
    expect((await get('/api/orders/ord_unknown')).status).toBe(404);
    const bad = await get(`/api/customers/${await newCustomer()}/orders?cursor=${Buffer.from('["x"]').toString('base64url')}`);
    expect([bad.status, bad.body]).toEqual([400, errorBody('invalid_cursor')]);
  });
});
