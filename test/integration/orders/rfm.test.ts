import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';

// RFM scores are relative to every customer with orders, so this file has a hub and population of its own.
const hub = signedInHub({ RFM_RECOMPUTE_DELAY_MS: '0' });

const { auth, post } = hub;
const unique = () => randomUUID().slice(0, 8);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

type Scores = { r: number | null; f: number | null; m: number | null; segment: string | null; computed: boolean };

async function newCustomer(): Promise<string> {
  return (await post('/api/customers', { email: `rfm-${unique()}@example.com` })).body.id;
}

async function placeOrder(customerId: string, fields: { price: string; daysAgo: number; status?: string; number?: string }) {
  const order = {
    number: fields.number ?? `R-${unique()}`,
    currency: 'EUR',
    status: fields.status ?? 'paid',
    items: [{ product: 'Box', quantity: 1, unitPrice: fields.price }],
    placedAt: daysAgo(fields.daysAgo),
  };
  const response = await post(`/api/customers/${customerId}/orders`, order);
  expect(response.status).toBeLessThan(300);
  return order;
}

async function scoresOf(ids: Record<string, string>): Promise<Record<string, Scores>> {
  const rows = await hub.db.query<{ id: string; rfm_recency: number | null; rfm_frequency: number | null; rfm_monetary: number | null; rfm_segment: string | null; rfm_computed_at: Date | null }>(
    'SELECT id, rfm_recency, rfm_frequency, rfm_monetary, rfm_segment, rfm_computed_at FROM customers WHERE id = ANY($1)',
    [Object.values(ids)],
  );
  return Object.fromEntries(
    Object.entries(ids).map(([name, id]) => {
      const row = rows.find((candidate) => candidate.id === id)!;
      return [name, { r: row.rfm_recency, f: row.rfm_frequency, m: row.rfm_monetary, segment: row.rfm_segment, computed: row.rfm_computed_at !== null }];
    }),
  );
}

/** The worker recomputes after each order write commits; wait (up to 10 s) until its scores are these. */
async function expectScoresSoon(ids: Record<string, string>, expected: Record<string, Scores>) {
  const deadline = Date.now() + 10_000;
  let latest = await scoresOf(ids);
  while (JSON.stringify(latest) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    latest = await scoresOf(ids);
  }
  expect(latest).toEqual(expected);
}

const scored = (r: number, f: number, m: number, segment: string): Scores => ({ r, f, m, segment, computed: true });
const unscored: Scores = { r: null, f: null, m: null, segment: null, computed: false };

describe('the RFM worker', () => {
  it('scores customers against each other after their orders, ties alike, and re-scores when orders change', async () => {
    const ids = {
      a: await newCustomer(),
      b: await newCustomer(),
      c: await newCustomer(),
      d: await newCustomer(),
      e: await newCustomer(),
      onlyCancelled: await newCustomer(),
      noOrders: await newCustomer(),
    };
    await placeOrder(ids.a, { price: '10.00', daysAgo: 100 });
    const bOrders = [await placeOrder(ids.b, { price: '20.00', daysAgo: 60 }), await placeOrder(ids.b, { price: '20.00', daysAgo: 50 })];
    for (const [days, price] of [[40, '30.00'], [30, '30.00'], [20, '30.00']] as const) await placeOrder(ids.c, { price, daysAgo: days });
    for (const [days, price] of [[15, '50.00'], [10, '50.00'], [5, '60.00']] as const) await placeOrder(ids.d, { price, daysAgo: days });
    for (const days of [9, 7, 4, 2, 1]) await placeOrder(ids.e, { price: '100.00', daysAgo: days });
    await placeOrder(ids.onlyCancelled, { price: '999.00', daysAgo: 0, status: 'cancelled' });

    // Five customers count: each fifth of recency, frequency and value holds one, except c and d who tie on 3 orders.
    await expectScoresSoon(ids, {
      a: scored(1, 1, 1, 'Lost'),
      b: scored(2, 2, 2, 'Hibernating'),
      c: scored(3, 4, 3, 'Loyal'),
      d: scored(4, 4, 4, 'Champions'),
      e: scored(5, 5, 5, 'Champions'),
      onlyCancelled: unscored,
      noOrders: unscored,
    });

    await placeOrder(ids.a, { price: '1000.00', daysAgo: 0 });
    for (const order of bOrders) expect((await post(`/api/customers/${ids.b}/orders`, { ...order, status: 'refunded' })).status).toBe(200);

    // Four customers count now (b's orders were refunded): a is the most recent and the biggest spender.
    await expectScoresSoon(ids, {
      a: scored(5, 2, 5, 'Big spenders'),
      b: unscored,
      c: scored(2, 4, 2, "Can't lose them"),
      d: scored(3, 4, 3, 'Loyal'),
      e: scored(4, 5, 4, 'Champions'),
      onlyCancelled: unscored,
      noOrders: unscored,
    });
    const customer = (await request(hub.handler).get(`/api/customers/${ids.a}`).set(auth())).body;
    expect(customer.rfm).toEqual({ recency: 5, frequency: 2, monetary: 5, segment: 'Big spenders', computedAt: expect.any(String) });
  });
});
