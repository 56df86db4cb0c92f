import { randomUUID } from 'node:crypto';
import { signedInHub } from '../../support/signedInHub';

const hub = signedInHub({ DEFAULT_PHONE_REGION: 'DE' });

const { get, post } = hub;
const importOrders = (orders: unknown[], query = '') => post(`/api/orders/import${query}`, { orders });
const unique = () => randomUUID().slice(0, 8);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

const row = (customer: Record<string, unknown>, fields: Record<string, unknown> = {}) => ({
  customer,
  source: 'shop',
  number: `S-${unique()}`,
  currency: 'EUR',
  items: [{ product: 'Mug', quantity: 1, unitPrice: '12.50' }],
  ...fields,
});

async function newCustomer(fields: Record<string, unknown> = {}): Promise<string> {
  const response = await post('/api/customers', { email: `known-${unique()}@example.com`, ...fields });
  expect(response.status).toBe(201);
  return response.body.id;
}

/** Row counts of every table an import writes. */
type Counts = { customers: number; identities: number; orders: number; events: number; last_order_update: Date | null; value: string };

async function counts(): Promise<Counts> {
  const [row] = await hub.db.query<Counts>(
    `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM customer_identities) AS identities,
            (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM timeline_events) AS events,
            (SELECT max(updated_at) FROM orders) AS last_order_update, (SELECT sum(lifetime_value)::text FROM customers) AS value`,
  );
  return row!;
}

const customerByEmail = async (email: string) =>
  (await hub.db.query<{ customer_id: string }>("SELECT customer_id FROM customer_identities WHERE kind = 'email' AND value = $1", [email]))[0]
    ?.customer_id;

describe('POST /api/orders/import', () => {
  it('creates, updates and leaves unchanged in one go, finding customers by id or identities and creating the rest', async () => {
    const byId = await newCustomer();
    const knownEmail = `known-${unique()}@example.com`;
    const byEmail = await newCustomer({ email: knownEmail });
    const existing = row({ id: byId }, { status: 'pending' });
    const stays = row({ id: byId });
    expect((await importOrders([existing, stays])).body).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const newEmail = `new-${unique()}@example.com`;
    const before = await counts();

    const response = await importOrders([
      { ...existing, status: 'paid' },
      stays,
      row({ id: byId }, { items: [{ product: 'Tea', quantity: 4, unitPrice: 2.5 }], total: '10.00' }),
      row({ email: knownEmail.toUpperCase(), phone: '030 1234567' }),
      row({ email: newEmail, name: 'New Buyer' }, { placedAt: daysAgo(3) }),
      row({ email: newEmail, externalId: `crm-${unique()}` }, { status: 'cancelled' }),
    ]);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ created: 4, updated: 1, unchanged: 1 });
    const after = await counts();
    // One new customer with its email and external id; a phone joined the customer known by email.
    expect([after.customers - before.customers, after.identities - before.identities]).toEqual([1, 3]);
    expect(after.orders - before.orders).toBe(4);
    expect(after.events - before.events).toBe(5);

    const created = await customerByEmail(newEmail);
    const customer = (await get(`/api/customers/${created}`)).body;
    expect(customer).toMatchObject({ name: 'New Buyer', email: newEmail, orders: { count: 1, lifetimeValue: '12.50', currency: 'EUR' } });
    expect(customer.externalId).toMatch(/^crm-/);
    expect((await get(`/api/customers/${byEmail}`)).body).toMatchObject({ phone: '+49301234567', orders: { count: 1, lifetimeValue: '12.50' } });
    expect((await get(`/api/customers/${byId}`)).body.orders).toMatchObject({ count: 3, lifetimeValue: '35.00' });

    const [updatedEvent] = await hub.db.query<{ data: object }>(
      "SELECT e.data FROM timeline_events e JOIN orders o ON o.id = e.reference WHERE o.number = $1 AND e.kind = 'order.updated'",
      [existing.number],
    );
    expect(updatedEvent?.data).toMatchObject({ source: 'shop', number: existing.number, from: 'pending', to: 'paid' });
    const [placedEvent] = await hub.db.query<{ at: Date; data: object }>(
      "SELECT e.at, e.data FROM timeline_events e WHERE e.customer_id = $1 AND e.kind = 'order.placed' ORDER BY e.at LIMIT 1",
      [created],
    );
    expect(placedEvent).toEqual({ at: expect.any(Date), data: expect.objectContaining({ total: '12.50', status: 'paid', itemCount: 1 }) });
    expect(Math.abs(placedEvent!.at.getTime() - Date.now() + 3 * 86_400_000)).toBeLessThan(60_000);
  });

  it('refuses the whole import with 422 and every bad row in details, writing nothing', async () => {
    const customerId = await newCustomer();
    const taken = row({ id: customerId });
    await importOrders([taken]);
    const [merged, survivor] = [await newCustomer(), await newCustomer()];
    await post(`/api/customers/${survivor}/merge`, { sourceId: merged });
    const erased = await newCustomer();
    await post(`/api/customers/${erased}/erase`);
    const newEmail = `new-${unique()}@example.com`;
    const good = row({ email: `fine-${unique()}@example.com` });
    const before = await counts();

    const response = await importOrders([
      good,
      row({ id: customerId }, { items: [{ product: 'Mug', quantity: 0, unitPrice: '1.00' }] }),
      row({ email: 'not an email' }),
      row({ id: 'cus_unknown' }),
      { ...taken, items: [{ product: 'Mug', quantity: 2, unitPrice: '12.50' }] },
      row({ email: newEmail }),
      row({ email: newEmail }, { currency: 'USD' }),
      { ...good, customer: { email: `other-${unique()}@example.com` } },
      row({ id: merged }),
      row({ name: 'Nobody' }),
      row({ id: customerId }, { total: '99.99' }),
      row({ id: customerId }, { items: [{ product: 'Mug', quantity: 1, unitPrice: '1.00', currency: 'GBP' }] }),
      row({ id: erased }),
    ]);

    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'import_invalid', message: expect.stringContaining('11 of 13') });
    expect(response.body.error.details.rows.map((error: { index: number; code: string }) => [error.index, error.code])).toEqual([
      [1, 'validation_failed'],
      [2, 'invalid_email'],
      [3, 'customer_not_found'],
      [4, 'order_conflict'],
      [6, 'currency_mismatch'],
      [7, 'order_conflict'],
      [8, 'customer_merged'],
      [9, 'validation_failed'],
      [10, 'validation_failed'],
      [11, 'currency_mismatch'],
      [12, 'customer_erased'],
    ]);
    expect(response.body.error.details.rows.every((error: { message: unknown }) => typeof error.message === 'string')).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('refuses an order in another currency than the earlier orders of a customer found by identity', async () => {
    const email = `usd-${unique()}@example.com`;
    await importOrders([row({ email }, { currency: 'USD' })]);
    const before = await counts();

    const response = await importOrders([row({ email })]);

    expect(response.status).toBe(422);
    expect(response.body.error.details.rows).toEqual([{ index: 0, code: 'currency_mismatch', message: expect.stringContaining('USD') }]);
    expect(await counts()).toEqual(before);
  });

  it('checks every row on a dry run and writes nothing, valid or not', async () => {
    const customerId = await newCustomer();
    const rows = [row({ id: customerId }), row({ email: `dry-${unique()}@example.com` }), row({ phone: '+49301234567' })];
    const before = await counts();

    const valid = await importOrders(rows, '?dryRun=true');
    const invalid = await importOrders([...rows, row({ id: customerId }, { total: '1.00' })], '?dryRun=true');

    expect([valid.status, valid.body]).toEqual([200, { valid: 3, errors: [] }]);
    expect(invalid.status).toBe(200);
    expect(invalid.body).toEqual({ valid: 3, errors: [{ index: 3, code: 'validation_failed', message: expect.stringContaining('total') }] });
    expect(await counts()).toEqual(before);
    expect((await importOrders(rows, '?dryRun=false')).body).toEqual({ created: 3, updated: 0, unchanged: 0 });
  });

  it('imports 10,000 orders at once, and a repeat of them changes nothing', async () => {
    const rows = Array.from({ length: 10_000 }, (_, index) =>
      row(index % 2 ? { email: `bulk-${index}@example.com` } : { externalId: `bulk-${index}` }, {
        number: `B-${index}`,
        items: [
          { product: 'Mug', quantity: 1, unitPrice: '12.50' },
          { product: 'Tea', quantity: 2, unitPrice: '0.75' },
        ],
        placedAt: daysAgo(index % 365),
      }),
    );
    const before = await counts();

    const first = await importOrders(rows);
    const after = await counts();
    const repeat = await importOrders(rows);

    expect(first.body).toEqual({ created: 10_000, updated: 0, unchanged: 0 });
    expect([after.customers - before.customers, after.orders - before.orders, after.events - before.events]).toEqual([10_000, 10_000, 10_000]);
    expect(repeat.body).toEqual({ created: 0, updated: 0, unchanged: 10_000 });
    expect(await counts()).toEqual(after);
    const [metrics] = await hub.db.query(
      "SELECT count(*) AS customers, sum(order_count) AS orders, sum(lifetime_value)::text AS value FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.number LIKE 'B-%')",
    );
    expect(metrics).toEqual({ customers: 10_000, orders: 10_000, value: '140000.00' });
  });

  it('refuses a malformed request with 400: no orders, more than 10,000, or not a list', async () => {
    const tooMany = Array.from({ length: 10_001 }, () => ({}));
    for (const body of [{}, { orders: [] }, { orders: tooMany }, { orders: 'all of them' }]) {
      const response = await post('/api/orders/import', body);
      expect([response.status, response.body.error.code]).toEqual([400, 'validation_failed']);
    }
  });
});
