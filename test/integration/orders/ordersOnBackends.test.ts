import { randomUUID } from 'node:crypto';
import type { Database } from '../../../server/db/database';
import type { DomainContext } from '../../../server/domain/context';
import { createCustomer } from '../../../server/domain/customers';
import { orderInputSchema } from '../../../server/domain/orderInput';
import { importOrders } from '../../../server/domain/orderImport';
import { placeOrder } from '../../../server/domain/orders';
import { parseInput } from '../../../server/domain/parseInput';
import { recomputeRfmScores } from '../../../server/domain/rfm';
import { backends, OPEN_BACKEND_TIMEOUT, type OpenedBackend, recordingContext } from '../../support/domainBackends';

const unique = () => randomUUID().slice(0, 8);
const orderFields = (price: string, fields: Record<string, unknown> = {}) => ({
  number: `N-${unique()}`,
  currency: 'EUR',
  items: [{ product: 'Pen', quantity: 2, unitPrice: price }],
  ...fields,
});
const anOrder = (price: string, fields: Record<string, unknown> = {}) => parseInput(orderInputSchema, orderFields(price, fields));

describe.each(backends)('orders on %s', (_backend, open) => {
  let opened: OpenedBackend;
  let db: Database;
  let ctx: DomainContext;
  // What another connection could see of the orders each time the domain asked for an RFM recomputation.
  let ordersSeenWhenAsked: number[];

  beforeAll(async () => {
    opened = await open();
    db = opened.db;
    const recording = recordingContext(db).ctx;
    ctx = {
      ...recording,
      queues: {
        ...recording.queues,
        recomputeRfm: async () => {
          const [row] = await db.query<{ count: number }>('SELECT count(*) AS count FROM orders');
          ordersSeenWhenAsked.push(row!.count);
        },
      },
    };
  }, OPEN_BACKEND_TIMEOUT);
  afterAll(() => opened?.close());
  beforeEach(() => {
    ordersSeenWhenAsked = [];
  });

  const newCustomer = async () => (await createCustomer(db, ctx.settings, { email: `b-${unique()}@example.com` }, 'create')).customer.id;
  const orderCount = async () => (await db.query<{ count: number }>('SELECT count(*) AS count FROM orders'))[0]!.count;
  const metricsOf = async (customerId: string) =>
    (
      await db.query(
        'SELECT order_count, lifetime_value::text AS value, currency, rfm_segment FROM customers WHERE id = $1',
        [customerId],
      )
    )[0];

  it('records an order and its metrics, and asks for RFM only after the commit', async () => {
    const customerId = await newCustomer();

    const { order, created } = await placeOrder(ctx, customerId, anOrder('1.25'));

    expect([created, order.total]).toEqual([true, '2.50']);
    expect(await metricsOf(customerId)).toEqual({ order_count: 1, value: '2.50', currency: 'EUR', rfm_segment: null });
    expect(ordersSeenWhenAsked).toEqual([await orderCount()]);
  });

  it('asks for nothing when the order is refused', async () => {
    const customerId = await newCustomer();
    await placeOrder(ctx, customerId, anOrder('1.00'));
    ordersSeenWhenAsked = [];

    await expect(placeOrder(ctx, customerId, anOrder('1.00', { currency: 'USD' }))).rejects.toMatchObject({ code: 'currency_mismatch' });
    expect(ordersSeenWhenAsked).toEqual([]);
  });

  it('imports orders for known and new customers, and asks for RFM after the commit', async () => {
    const customerId = await newCustomer();
    const email = `new-${unique()}@example.com`;
    const rows = [
      { customer: { id: customerId }, ...orderFields('3.00') },
      { customer: { email }, ...orderFields('4.00') },
      { customer: { email, phone: '+4915112345678' }, ...orderFields('5.00', { status: 'refunded' }) },
    ];

    expect(await importOrders(ctx, rows)).toEqual({ created: 3, updated: 0, unchanged: 0 });
    const [created] = await db.query<{ customer_id: string }>("SELECT customer_id FROM customer_identities WHERE kind = 'email' AND value = $1", [email]);
    expect(await metricsOf(created!.customer_id)).toEqual({ order_count: 1, value: '8.00', currency: 'EUR', rfm_segment: null });
    expect(await metricsOf(customerId)).toEqual({ order_count: 1, value: '6.00', currency: 'EUR', rfm_segment: null });
    expect(ordersSeenWhenAsked).toEqual([await orderCount()]);
  });

  it('scores every customer with counted orders in one statement, and clears those who no longer have any', async () => {
    const customerId = await newCustomer();
    const order = anOrder('9.00');
    await placeOrder(ctx, customerId, order);
    await recomputeRfmScores(db, new Date());
    expect((await metricsOf(customerId))!.rfm_segment).toEqual(expect.any(String));
    await placeOrder(ctx, customerId, { ...order, status: 'cancelled' });

    const counts = await recomputeRfmScores(db, new Date());

    const [scored] = await db.query<{ count: number }>('SELECT count(*) AS count FROM customers WHERE order_count > 0');
    expect(counts).toEqual({ scored: scored!.count, cleared: 1 });
    expect(await metricsOf(customerId)).toEqual({ order_count: 0, value: '0.00', currency: 'EUR', rfm_segment: null });
    const segments = await db.query<{ rfm_segment: string | null; order_count: number }>('SELECT rfm_segment, order_count FROM customers');
    expect(segments.every((row) => (row.order_count > 0) === (row.rfm_segment !== null))).toBe(true);
  });
});
