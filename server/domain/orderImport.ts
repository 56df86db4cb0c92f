import { z } from 'zod';
import type { Queryable } from '../db/database';
import type { DomainContext } from './context';
import { findOwners, type Identity, normalizeIdentity } from './customers';
import { type ErrorCode, HubError } from './errors';
import { distinctIdentities } from './identities';
import { newId } from './ids';
import { type OrderDraft, orderFields, type OrderStatus, toOrderDraft } from './orderInput';
import { compareRepeat, conflictMessage, ORDER_COLUMNS, type OrderRow, placedEventData, recomputeOrderMetricsOf, updatedEventData } from './orders';
import { parseInput } from './parseInput';

export const MAX_IMPORT_ORDERS = 10_000;

const customerRefSchema = z
  .object({
    id: z.string().min(1).max(100).optional(),
    email: z.string().max(320).optional(),
    phone: z.string().max(50).optional(),
    externalId: z.string().max(320).optional(),
    name: z.string().trim().max(200).optional().describe('Given to a customer this import creates'),
  })
  .strict()
  .refine((ref) => ref.id !== undefined || ref.email !== undefined || ref.phone !== undefined || ref.externalId !== undefined, {
    error: 'customer needs an id, email, phone or externalId',
  })
  .describe('Found by id; otherwise by its identities, created when none matches');

/** One row of an import: an order and whom it belongs to. */
export const importRowSchema = z.object({ customer: customerRefSchema, ...orderFields }).strict();

/** The request; rows are checked one by one so that every invalid row is reported at once. */
export const orderImportSchema = z.object({ orders: z.array(z.unknown()).min(1).max(MAX_IMPORT_ORDERS) }).strict();

export type RowError = { index: number; code: ErrorCode; message: string };
export type ImportCounts = { created: number; updated: number; unchanged: number };

type Row = { index: number; draft: OrderDraft; customerId: string | undefined; identities: Identity[]; name: string | null };
type CustomerState = { id: string; merged_into_id: string | null; erased_at: Date | null; currency: string | null };

type Plan = {
  errors: RowError[];
  newCustomers: { id: string; name: string | null }[];
  attachments: { customerId: string; identity: Identity }[];
  creates: { id: string; customerId: string; draft: OrderDraft }[];
  updates: { stored: OrderRow; status: OrderStatus }[];
  unchanged: number;
};

/**
 * Imports orders all or nothing, in one transaction and a handful of set-based statements: any
 * invalid row is `import_invalid` with every row's problem in `details.rows`.
 */
export async function importOrders(ctx: DomainContext, rows: readonly unknown[]): Promise<ImportCounts> {
  const counts = await ctx.db.transaction(async (tx) => {
    const plan = await planImport(ctx, tx, rows, { lock: true });
    if (plan.errors.length > 0) {
      throw new HubError('import_invalid', `${plan.errors.length} of ${rows.length} orders are invalid; nothing was imported`, {
        rows: plan.errors,
      });
    }
    await applyPlan(ctx, tx, plan);
    return { created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged };
  });
  // Asked even when nothing changed: an earlier attempt may have committed and then failed to enqueue.
  await ctx.queues.recomputeRfm();
  return counts;
}

/** What an import would say about these rows, without writing anything. */
export async function validateOrderImport(ctx: DomainContext, rows: readonly unknown[]): Promise<{ valid: number; errors: RowError[] }> {
  const { errors } = await planImport(ctx, ctx.db, rows, { lock: false });
  return { valid: rows.length - errors.length, errors };
}

const identityKey = (identity: Identity) => `${identity.kind}\u0000${identity.value}`;
const orderKey = (draft: Pick<OrderDraft, 'source' | 'number'>) => `${draft.source}\u0000${draft.number}`;

async function planImport(ctx: DomainContext, db: Queryable, input: readonly unknown[], options: { lock: boolean }): Promise<Plan> {
  const errors: RowError[] = [];
  const fail: Fail = (index, code, message) => {
    errors.push({ index, code, message });
  };
  const plan: Plan = { errors, newCustomers: [], attachments: [], creates: [], updates: [], unchanged: 0 };

  let rows = parseRows(ctx, input, fail);
  rows = withoutRepeatedNumbers(rows, fail);
  await resolveCustomers(db, rows, plan);
  const customers = await loadCustomers(db, rows, plan, options.lock);
  const created = new Set(plan.newCustomers.map((customer) => customer.id));
  rows = rows.filter((row) => {
    const problem = created.has(row.customerId!) ? undefined : customerProblem(row.customerId!, customers.get(row.customerId!));
    if (problem) fail(row.index, problem.code, problem.message);
    return !problem;
  });

  const stored = await loadStoredOrders(db, rows, options.lock);
  const currencies = new Map([...customers.values()].flatMap((customer) => (customer.currency ? [[customer.id, customer.currency] as const] : [])));
  for (const row of rows) {
    const customerId = row.customerId!;
    const existing = stored.get(orderKey(row.draft));
    if (existing) {
      const outcome = compareRepeat(existing, customerId, row.draft);
      if (outcome === 'conflict') fail(row.index, 'order_conflict', conflictMessage(row.draft));
      else if (outcome === 'unchanged') plan.unchanged++;
      else plan.updates.push({ stored: existing, status: row.draft.status });
      continue;
    }
    const currency = currencies.get(customerId);
    if (currency && currency !== row.draft.currency) {
      fail(row.index, 'currency_mismatch', `Customer ${customerId} has orders in ${currency}; this order is in ${row.draft.currency}`);
      continue;
    }
    currencies.set(customerId, row.draft.currency);
    plan.creates.push({ id: newId('ord'), customerId, draft: row.draft });
  }
  errors.sort((a, b) => a.index - b.index);
  return plan;
}

type Fail = (index: number, code: ErrorCode, message: string) => void;

/** Why an order cannot go to this existing customer, if it cannot. */
function customerProblem(customerId: string, customer: CustomerState | undefined): { code: ErrorCode; message: string } | undefined {
  if (!customer) return { code: 'customer_not_found', message: `No customer ${customerId}` };
  if (customer.merged_into_id) return { code: 'customer_merged', message: `Customer ${customerId} was merged into ${customer.merged_into_id}` };
  if (customer.erased_at) return { code: 'customer_erased', message: `Customer ${customerId} was erased` };
  return undefined;
}

function parseRows(ctx: DomainContext, input: readonly unknown[], fail: Fail): Row[] {
  const now = ctx.now();
  return input.flatMap((raw, index) => {
    try {
      const row = parseInput(importRowSchema, raw);
      const given: Identity[] = [];
      // Strongest claim first, as resolveCustomer expects: the shop's own id, then email, then phone.
      if (row.customer.externalId !== undefined) given.push({ kind: 'external', value: row.customer.externalId });
      if (row.customer.email !== undefined) given.push({ kind: 'email', value: row.customer.email });
      if (row.customer.phone !== undefined) given.push({ kind: 'phone', value: row.customer.phone });
      const identities = row.customer.id ? [] : distinctIdentities(given.map((identity) => normalizeIdentity(identity, ctx.settings.defaultPhoneRegion)));
      return [{ index, draft: toOrderDraft(row, now), customerId: row.customer.id, identities, name: row.customer.name || null }];
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      fail(index, error.code, error.message);
      return [];
    }
  });
}

/** One import names each (source, number) once: two rows for one order would leave its state to row order. */
function withoutRepeatedNumbers(rows: Row[], fail: Fail): Row[] {
  const first = new Map<string, number>();
  return rows.filter((row) => {
    const earlier = first.get(orderKey(row.draft));
    if (earlier === undefined) {
      first.set(orderKey(row.draft), row.index);
      return true;
    }
    fail(row.index, 'order_conflict', `Order ${row.draft.number} from ${row.draft.source} is already in row ${earlier} of this import`);
    return false;
  });
}

/**
 * Gives each row found by identities its customer, as resolveCustomer would row after row (the
 * first identity with an owner wins; unclaimed ones join it), but with one query for all rows.
 */
async function resolveCustomers(db: Queryable, rows: Row[], plan: Plan): Promise<void> {
  const wanted = distinctIdentities(rows.flatMap((row) => row.identities));
  const owners = new Map((await findOwners(db, wanted)).map((owner) => [identityKey(owner.identity), owner.customerId]));
  for (const row of rows) {
    if (row.customerId) continue;
    const known = row.identities.map((identity) => owners.get(identityKey(identity)));
    const customerId = known.find((owner) => owner !== undefined) ?? newId('cus');
    if (!known.includes(customerId)) plan.newCustomers.push({ id: customerId, name: row.name });
    row.identities.forEach((identity, position) => {
      if (known[position]) return;
      owners.set(identityKey(identity), customerId);
      plan.attachments.push({ customerId, identity });
    });
    row.customerId = customerId;
  }
}

/** The existing customers the rows name, locked in id order so concurrent imports cannot deadlock. */
async function loadCustomers(db: Queryable, rows: Row[], plan: Plan, lock: boolean): Promise<Map<string, CustomerState>> {
  const created = new Set(plan.newCustomers.map((customer) => customer.id));
  const ids = [...new Set(rows.map((row) => row.customerId!))].filter((id) => !created.has(id));
  const found = await db.query<CustomerState>(
    `SELECT id, merged_into_id, erased_at, currency FROM customers WHERE id = ANY($1) ORDER BY id${lock ? ' FOR UPDATE' : ''}`,
    [ids],
  );
  return new Map(found.map((customer) => [customer.id, customer]));
}

async function loadStoredOrders(db: Queryable, rows: Row[], lock: boolean): Promise<Map<string, OrderRow>> {
  const found = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders
      WHERE (source, number) IN (SELECT * FROM unnest($1::text[], $2::text[]))${lock ? ' FOR UPDATE' : ''}`,
    [rows.map((row) => row.draft.source), rows.map((row) => row.draft.number)],
  );
  return new Map(found.map((order) => [orderKey(order), order]));
}

async function applyPlan(ctx: DomainContext, tx: Queryable, plan: Plan): Promise<void> {
  await tx.query('INSERT INTO customers (id, name) SELECT * FROM unnest($1::text[], $2::text[])', [
    plan.newCustomers.map((customer) => customer.id),
    plan.newCustomers.map((customer) => customer.name),
  ]);
  const attached = await tx.query(
    `INSERT INTO customer_identities (id, customer_id, kind, value)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (kind, value) DO NOTHING RETURNING id`,
    [
      plan.attachments.map(() => newId('idn')),
      plan.attachments.map((attachment) => attachment.customerId),
      plan.attachments.map((attachment) => attachment.identity.kind),
      plan.attachments.map((attachment) => attachment.identity.value),
    ],
  );
  if (attached.length < plan.attachments.length) {
    throw new HubError('identity_conflict', 'Another request claimed one of these identities during the import; nothing was imported, try again');
  }
  const { creates, updates } = plan;
  const inserted = await tx.query(
    `INSERT INTO orders (id, customer_id, source, number, status, currency, total, items, placed_at)
     SELECT id, customer_id, source, number, status, currency, total::numeric, items::jsonb, placed_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
            AS o (id, customer_id, source, number, status, currency, total, items, placed_at)
     ON CONFLICT (source, number) DO NOTHING RETURNING id`,
    [
      creates.map((order) => order.id),
      creates.map((order) => order.customerId),
      creates.map((order) => order.draft.source),
      creates.map((order) => order.draft.number),
      creates.map((order) => order.draft.status),
      creates.map((order) => order.draft.currency),
      creates.map((order) => order.draft.total),
      creates.map((order) => JSON.stringify(order.draft.items)),
      creates.map((order) => order.draft.placedAt.toISOString()),
    ],
  );
  if (inserted.length < creates.length) {
    throw new HubError('order_conflict', 'Another request recorded one of these orders during the import; nothing was imported, try again');
  }
  await tx.query('UPDATE orders o SET status = u.status, updated_at = now() FROM unnest($1::text[], $2::text[]) AS u (id, status) WHERE o.id = u.id', [
    updates.map((update) => update.stored.id),
    updates.map((update) => update.status),
  ]);
  const now = ctx.now();
  await appendTimelineEvents(tx, [
    ...creates.map((order) => ({
      customerId: order.customerId,
      at: order.draft.placedAt,
      kind: 'order.placed',
      reference: order.id,
      data: placedEventData({ id: order.id, ...order.draft }),
    })),
    ...updates.map((update) => ({
      customerId: update.stored.customer_id,
      at: now,
      kind: 'order.updated',
      reference: update.stored.id,
      data: updatedEventData(update.stored, update.status),
    })),
  ]);
  await recomputeOrderMetricsOf(tx, [...new Set([...creates.map((order) => order.customerId), ...updates.map((update) => update.stored.customer_id)])]);
}

/** appendTimelineEvent for thousands of events in one statement. */
async function appendTimelineEvents(
  tx: Queryable,
  events: { customerId: string; at: Date; kind: string; reference: string; data: Record<string, unknown> }[],
): Promise<void> {
  await tx.query(
    `INSERT INTO timeline_events (id, customer_id, at, kind, reference, data)
     SELECT id, customer_id, at, kind, reference, data::jsonb
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[]) AS e (id, customer_id, at, kind, reference, data)`,
    [
      events.map(() => newId('evt')),
      events.map((event) => event.customerId),
      events.map((event) => event.at.toISOString()),
      events.map((event) => event.kind),
      events.map((event) => event.reference),
      events.map((event) => JSON.stringify(event.data)),
    ],
  );
}
