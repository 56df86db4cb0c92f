import type { Queryable } from '../db/database';
import { orderPlaced } from './automationTriggers';
import type { DomainContext } from './context';
import { decodeCursor, type Page, pageOf } from './cursor';
import { lockLiveCustomer } from './customers';
import { HubError } from './errors';
import { newId } from './ids';
import { COUNTED_STATUSES, type OrderDraft, type OrderInput, type OrderItem, type OrderStatus, toOrderDraft } from './orderInput';
import { appendTimelineEvent } from './timeline';

export type Order = Omit<OrderDraft, 'placedAt'> & {
  id: string;
  customerId: string;
  placedAt: string;
  createdAt: string;
  updatedAt: string;
};

export type OrderRow = {
  id: string;
  customer_id: string;
  source: string;
  number: string;
  status: OrderStatus;
  currency: string;
  total: string;
  items: OrderItem[];
  placed_at: Date;
  created_at: Date;
  updated_at: Date;
};

// total as text: node-postgres and PGlite would otherwise parse numeric differently.
export const ORDER_COLUMNS = 'id, customer_id, source, number, status, currency, total::text AS total, items, placed_at, created_at, updated_at';

export const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  customerId: row.customer_id,
  source: row.source,
  number: row.number,
  status: row.status,
  currency: row.currency,
  total: row.total,
  items: row.items,
  placedAt: row.placed_at.toISOString(),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const itemsKey = (items: readonly OrderItem[]) => JSON.stringify(items.map((item) => [item.product, item.quantity, item.unitPrice]));

/**
 * What a repeated (source, number) means against the stored order: the same order, a status
 * change, or a different order under a number already taken. The first placedAt stands.
 */
export function compareRepeat(stored: OrderRow, customerId: string, draft: OrderDraft): 'unchanged' | 'status' | 'conflict' {
  const same =
    stored.customer_id === customerId &&
    stored.currency === draft.currency &&
    stored.total === draft.total &&
    itemsKey(stored.items) === itemsKey(draft.items);
  if (!same) return 'conflict';
  return stored.status === draft.status ? 'unchanged' : 'status';
}

export const conflictMessage = (draft: OrderDraft) =>
  `Order ${draft.number} from ${draft.source} was already recorded with other items, total, currency or customer`;

/** The timeline data of a new order. */
export const placedEventData = (order: Pick<Order, 'id' | 'source' | 'number' | 'currency' | 'total' | 'status' | 'items'>) => ({
  orderId: order.id,
  source: order.source,
  number: order.number,
  currency: order.currency,
  total: order.total,
  status: order.status,
  itemCount: order.items.length,
});

export const updatedEventData = (order: OrderRow, to: OrderStatus) => ({
  orderId: order.id,
  source: order.source,
  number: order.number,
  from: order.status,
  to,
});

/**
 * Records a customer's order, idempotently by (source, number): a repeat changes nothing, a repeat
 * with another status updates it, anything else under that number is `order_conflict`.
 */
export async function placeOrder(ctx: DomainContext, customerId: string, input: OrderInput): Promise<{ order: Order; created: boolean }> {
  const draft = toOrderDraft(input, ctx.now());
  const result = await ctx.db.transaction(async (tx) => {
    // The customer's lock serializes their order writes, so the currency check and metrics cannot race.
    const customer = await lockLiveCustomer(tx, customerId);
    const stored = await findOrderForUpdate(tx, draft);
    if (stored) return applyRepeat(ctx, tx, stored, customer.id, draft);
    if (customer.currency && customer.currency !== draft.currency) {
      throw new HubError('currency_mismatch', `Customer ${customer.id} has orders in ${customer.currency}; this order is in ${draft.currency}`);
    }
    const [row] = await tx.query<OrderRow>(
      `INSERT INTO orders (id, customer_id, source, number, status, currency, total, items, placed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (source, number) DO NOTHING
       RETURNING ${ORDER_COLUMNS}`,
      [newId('ord'), customer.id, draft.source, draft.number, draft.status, draft.currency, draft.total, JSON.stringify(draft.items), draft.placedAt],
    );
    if (!row) {
      // Another customer's order took this number between our look and our insert.
      const taken = await findOrderForUpdate(tx, draft);
      if (!taken) throw new HubError('order_conflict', `Order ${draft.number} from ${draft.source} changed while it was being recorded; try again`);
      return applyRepeat(ctx, tx, taken, customer.id, draft);
    }
    const order = toOrder(row);
    await appendTimelineEvent(tx, { customerId: customer.id, at: draft.placedAt, kind: 'order.placed', reference: order.id, data: placedEventData(order) });
    await recomputeOrderMetrics(tx, customer.id);
    return { order, created: true };
  });
  // Asked for a repeat too: the first attempt may have committed and then failed to enqueue.
  await ctx.queues.recomputeRfm();
  if (result.created) await orderPlaced(ctx, result.order);
  return result;
}

async function findOrderForUpdate(tx: Queryable, draft: OrderDraft): Promise<OrderRow | undefined> {
  const [row] = await tx.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE source = $1 AND number = $2 FOR UPDATE`, [
    draft.source,
    draft.number,
  ]);
  return row;
}

async function applyRepeat(
  ctx: DomainContext,
  tx: Queryable,
  stored: OrderRow,
  customerId: string,
  draft: OrderDraft,
): Promise<{ order: Order; created: boolean }> {
  const outcome = compareRepeat(stored, customerId, draft);
  if (outcome === 'conflict') throw new HubError('order_conflict', conflictMessage(draft), { orderId: stored.id });
  if (outcome === 'unchanged') return { order: toOrder(stored), created: false };
  const [row] = await tx.query<OrderRow>(`UPDATE orders SET status = $2, updated_at = now() WHERE id = $1 RETURNING ${ORDER_COLUMNS}`, [
    stored.id,
    draft.status,
  ]);
  await appendTimelineEvent(tx, {
    customerId,
    at: ctx.now(),
    kind: 'order.updated',
    reference: stored.id,
    data: updatedEventData(stored, draft.status),
  });
  await recomputeOrderMetrics(tx, customerId);
  return { order: toOrder(row!), created: false };
}

/**
 * Recounts a customer's order metrics from their orders, in the caller's transaction: count,
 * lifetime value, first and last order over pending, paid and fulfilled orders; the currency of any.
 */
export async function recomputeOrderMetrics(tx: Queryable, customerId: string): Promise<void> {
  await recomputeOrderMetricsOf(tx, [customerId]);
}

/** recomputeOrderMetrics for many customers in one statement. */
export async function recomputeOrderMetricsOf(tx: Queryable, customerIds: readonly string[]): Promise<void> {
  await tx.query(
    `UPDATE customers c
        SET order_count = m.order_count, lifetime_value = m.lifetime_value, currency = m.currency,
            first_order_at = m.first_order_at, last_order_at = m.last_order_at
       FROM (SELECT ids.id,
                    count(o.id) FILTER (WHERE o.status = ANY($2)) AS order_count,
                    coalesce(sum(o.total) FILTER (WHERE o.status = ANY($2)), 0) AS lifetime_value,
                    min(o.currency) AS currency,
                    min(o.placed_at) FILTER (WHERE o.status = ANY($2)) AS first_order_at,
                    max(o.placed_at) FILTER (WHERE o.status = ANY($2)) AS last_order_at
               FROM unnest($1::text[]) AS ids (id)
               LEFT JOIN orders o ON o.customer_id = ids.id
              GROUP BY ids.id) m
      WHERE c.id = m.id`,
    [customerIds, COUNTED_STATUSES],
  );
}

export async function getOrder(db: Queryable, orderId: string): Promise<Order> {
  const [row] = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`, [orderId]);
  if (!row) throw new HubError('not_found', `No order ${orderId}`);
  return toOrder(row);
}

/** A customer's orders, most recently placed first, a page at a time. */
export async function listCustomerOrders(db: Queryable, customerId: string, page: { cursor?: string; limit: number }): Promise<Page<Order>> {
  const params: unknown[] = [customerId, page.limit + 1];
  let after = '';
  if (page.cursor) {
    params.push(...decodeCursor(page.cursor, ['timestamp', 'string']));
    after = 'AND (placed_at, id) < ($3::timestamptz, $4)';
  }
  const rows = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id = $1 ${after} ORDER BY placed_at DESC, id DESC LIMIT $2`,
    params,
  );
  return pageOf(rows.map(toOrder), page.limit, (order) => [order.placedAt, order.id]);
}
