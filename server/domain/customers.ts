import { z } from 'zod';
import type { Database, Queryable } from '../db/database';
import type { DomainSettings } from './context';
import { HubError } from './errors';
import { distinctIdentities, type Identity, normalizeIdentity } from './identities';
import { newId } from './ids';

export type { Identity, IdentityKind } from './identities';
export { normalizeIdentity } from './identities';

/** A customer as agents and the API see them. Visitor ids are left out: holding one opens a chat. */
export type Customer = {
  id: string;
  name: string | null;
  /** The first email, phone and external id we learned, for display; `identities` has them all. */
  email: string | null;
  phone: string | null;
  externalId: string | null;
  identities: Identity[];
  attributes: Record<string, unknown>;
  tags: string[];
  orders: {
    count: number;
    /** Exact decimal, e.g. "129.90", in `currency`. */
    lifetimeValue: string;
    currency: string | null;
    firstOrderAt: string | null;
    lastOrderAt: string | null;
  };
  rfm: { recency: number; frequency: number; monetary: number; segment: string; computedAt: string } | null;
  erasedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type CustomerRow = {
  id: string;
  name: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
  merged_into_id: string | null;
  erased_at: Date | null;
  order_count: number;
  lifetime_value: string;
  currency: string | null;
  first_order_at: Date | null;
  last_order_at: Date | null;
  rfm_recency: number | null;
  rfm_frequency: number | null;
  rfm_monetary: number | null;
  rfm_segment: string | null;
  rfm_computed_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

const iso = (date: Date | null) => date?.toISOString() ?? null;

function toCustomer(row: CustomerRow, identities: Identity[]): Customer {
  const first = (kind: Identity['kind']) => identities.find((identity) => identity.kind === kind)?.value ?? null;
  return {
    id: row.id,
    name: row.name,
    email: first('email'),
    phone: first('phone'),
    externalId: first('external'),
    identities,
    attributes: row.attributes,
    tags: row.tags,
    orders: {
      count: row.order_count,
      lifetimeValue: Number(row.lifetime_value).toFixed(2),
      currency: row.currency,
      firstOrderAt: iso(row.first_order_at),
      lastOrderAt: iso(row.last_order_at),
    },
    rfm:
      row.rfm_segment && row.rfm_computed_at
        ? {
            recency: row.rfm_recency!,
            frequency: row.rfm_frequency!,
            monetary: row.rfm_monetary!,
            segment: row.rfm_segment,
            computedAt: row.rfm_computed_at.toISOString(),
          }
        : null,
    erasedAt: iso(row.erased_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Rows as customers, their shown identities loaded in one query, in the order given. */
export async function toCustomers(db: Queryable, rows: readonly CustomerRow[]): Promise<Customer[]> {
  if (rows.length === 0) return [];
  const identities = await db.query<{ customer_id: string; kind: Identity['kind']; value: string }>(
    `SELECT customer_id, kind, value FROM customer_identities
      WHERE customer_id = ANY($1) AND kind <> 'visitor' ORDER BY created_at, id`,
    [rows.map((row) => row.id)],
  );
  return rows.map((row) =>
    toCustomer(
      row,
      identities.filter((identity) => identity.customer_id === row.id).map(({ kind, value }) => ({ kind, value })),
    ),
  );
}

/** The customer row, as it is; a merged customer answers with where it went. */
export async function getCustomerRow(db: Queryable, customerId: string, options: { forUpdate?: boolean } = {}): Promise<CustomerRow> {
  const [row] = await db.query<CustomerRow>(`SELECT * FROM customers WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [customerId]);
  if (!row) throw new HubError('customer_not_found', `No customer ${customerId}`);
  if (row.merged_into_id) {
    throw new HubError('customer_merged', `Customer ${customerId} was merged into ${row.merged_into_id}`, { mergedInto: row.merged_into_id });
  }
  return row;
}

export async function getCustomer(db: Queryable, customerId: string): Promise<Customer> {
  const [customer] = await toCustomers(db, [await getCustomerRow(db, customerId)]);
  return customer!;
}

/** A customer who may still change: neither merged away nor erased. */
export async function lockLiveCustomer(tx: Queryable, customerId: string): Promise<CustomerRow> {
  const row = await getCustomerRow(tx, customerId, { forUpdate: true });
  if (row.erased_at) throw new HubError('customer_erased', `Customer ${customerId} was erased`);
  return row;
}

/**
 * Finds the customer any of these identities belongs to, or creates one owning all of them.
 * Identities not yet claimed are attached to the customer found.
 */
export async function resolveCustomer(
  tx: Queryable,
  identities: readonly Identity[],
  name?: string,
): Promise<{ customer: Customer; created: boolean }> {
  if (identities.length === 0) throw new HubError('validation_failed', 'A customer needs at least one identity');
  const wanted = distinctIdentities(identities.map((identity) => normalizeIdentity(identity)));
  for (let attempt = 0; attempt < 3; attempt++) {
    const owners = await findOwners(tx, wanted);
    // The first identity given is the strongest claim (e.g. the visitor id the widget holds).
    const ownerId = owners.find((owner) => owner.customerId)?.customerId;
    if (ownerId) {
      const unclaimed = owners.filter((owner) => !owner.customerId).map((owner) => owner.identity);
      // Most messages come from a customer whose identities are all known: no write then.
      if (unclaimed.length > 0) await attachIdentities(tx, ownerId, unclaimed);
      return { customer: await getCustomer(tx, ownerId), created: false };
    }
    const customerId = await insertCustomer(tx, { name: name?.trim() || null, attributes: {}, tags: [] });
    if ((await attachIdentities(tx, customerId, wanted)) === wanted.length) return { customer: await getCustomer(tx, customerId), created: true };
    // A concurrent transaction claimed one of these identities first: use its customer instead.
    await tx.query('DELETE FROM customers WHERE id = $1', [customerId]);
  }
  throw new HubError('internal', 'Could not resolve the customer for these identities');
}

/** Each identity with the customer owning it, if any, in the order given. */
export async function findOwners(
  tx: Queryable,
  identities: readonly Identity[],
): Promise<{ identity: Identity; customerId: string | undefined }[]> {
  if (identities.length === 0) return [];
  const rows = await tx.query<{ customer_id: string; kind: string; value: string }>(
    `SELECT customer_id, kind, value FROM customer_identities
      WHERE (kind, value) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [identities.map((identity) => identity.kind), identities.map((identity) => identity.value)],
  );
  return identities.map((identity) => ({
    identity,
    customerId: rows.find((row) => row.kind === identity.kind && row.value === identity.value)?.customer_id,
  }));
}

/** Attaches the identities nobody owns yet; returns how many it attached. */
export async function attachIdentities(tx: Queryable, customerId: string, identities: readonly Identity[]): Promise<number> {
  if (identities.length === 0) return 0;
  const rows = await tx.query(
    `INSERT INTO customer_identities (id, customer_id, kind, value)
     SELECT id, $1, kind, value FROM unnest($2::text[], $3::text[], $4::text[]) AS wanted (id, kind, value)
     ON CONFLICT (kind, value) DO NOTHING
     RETURNING id`,
    [
      customerId,
      identities.map(() => newId('idn')),
      identities.map((identity) => identity.kind),
      identities.map((identity) => identity.value),
    ],
  );
  return rows.length;
}

async function insertCustomer(
  tx: Queryable,
  fields: { name: string | null; attributes: Record<string, unknown>; tags: string[] },
): Promise<string> {
  const id = newId('cus');
  await tx.query('INSERT INTO customers (id, name, attributes, tags) VALUES ($1, $2, $3, $4)', [
    id,
    fields.name,
    JSON.stringify(fields.attributes),
    fields.tags,
  ]);
  return id;
}

const MAX_ATTRIBUTES = 100;
const ATTRIBUTE_KEY = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_TAGS = 100;

/** What an agent or an import may say about a customer. Attributes merge (null removes a key); tags replace. */
export const customerInputSchema = z
  .object({
    name: z.string().trim().max(200).nullable().optional(),
    email: z.string().max(320).optional(),
    phone: z.string().max(50).optional(),
    externalId: z.string().max(320).optional(),
    attributes: z.record(z.string(), z.unknown(), { error: 'attributes must be a JSON object' }).optional(),
    tags: z.array(z.string().trim().min(1).max(64)).max(MAX_TAGS).optional(),
  })
  .strict();
export type CustomerInput = z.infer<typeof customerInputSchema>;

/** The identities an input names, strongest first: the company's own id, then email, then phone. */
function identitiesOf(input: CustomerInput, settings: DomainSettings): Identity[] {
  const given: Identity[] = [];
  if (input.externalId !== undefined) given.push({ kind: 'external', value: input.externalId });
  if (input.email !== undefined) given.push({ kind: 'email', value: input.email });
  if (input.phone !== undefined) given.push({ kind: 'phone', value: input.phone });
  return distinctIdentities(given.map((identity) => normalizeIdentity(identity, settings.defaultPhoneRegion)));
}

/** The attributes after applying `patch`; refuses keys and values a console could not show. */
export function mergeAttributes(
  current: Record<string, unknown>,
  patch: Record<string, unknown> | undefined,
  settings: DomainSettings,
): Record<string, unknown> {
  if (!patch) return current;
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (!ATTRIBUTE_KEY.test(key)) {
      throw new HubError('validation_failed', `Attribute name ${JSON.stringify(key)} must be 1-64 letters, digits, "_" or "-"`);
    }
    if (value === null) {
      delete merged[key];
      continue;
    }
    const size = Buffer.byteLength(JSON.stringify(value) ?? '');
    if (value === undefined || size > settings.attributeMaxBytes) {
      throw new HubError('validation_failed', `Attribute ${key} takes ${size} bytes as JSON; at most ${settings.attributeMaxBytes} are allowed`);
    }
    merged[key] = value;
  }
  if (Object.keys(merged).length > MAX_ATTRIBUTES) {
    throw new HubError('validation_failed', `A customer may have at most ${MAX_ATTRIBUTES} attributes`);
  }
  return merged;
}

const normalizeTags = (tags: readonly string[]) => [...new Set(tags.map((tag) => tag.trim().toLowerCase()))];

/**
 * Creates a customer, or with `upsert` updates the one its identities already name, inside the
 * caller's transaction. Identities owned by someone else (create) or by two customers (upsert)
 * are `identity_conflict`: only a merge may join two customers.
 */
export async function saveCustomer(
  tx: Queryable,
  settings: DomainSettings,
  input: CustomerInput,
  mode: 'create' | 'upsert',
): Promise<{ customerId: string; created: boolean }> {
  const identities = identitiesOf(input, settings);
  if (mode === 'upsert' && identities.length === 0) {
    throw new HubError('validation_failed', 'An upsert needs an email, phone or externalId to find the customer by');
  }
  const owners = await findOwners(tx, identities);
  const ownerIds = [...new Set(owners.flatMap((owner) => (owner.customerId ? [owner.customerId] : [])))];
  if (ownerIds.length > 1 || (mode === 'create' && ownerIds.length === 1)) {
    throw new HubError(
      'identity_conflict',
      ownerIds.length > 1
        ? 'These identities belong to different customers; merge them first'
        : `${owners.find((owner) => owner.customerId)!.identity.value} already belongs to customer ${ownerIds[0]}`,
      { customerIds: ownerIds },
    );
  }
  if (ownerIds.length === 1) {
    await updateCustomerFields(tx, settings, ownerIds[0]!, input);
    return { customerId: ownerIds[0]!, created: false };
  }
  const customerId = await insertCustomer(tx, {
    name: input.name || null,
    attributes: mergeAttributes({}, input.attributes, settings),
    tags: normalizeTags(input.tags ?? []),
  });
  if ((await attachIdentities(tx, customerId, identities)) < identities.length) {
    throw new HubError('identity_conflict', 'Another request claimed one of these identities at the same time; try again');
  }
  return { customerId, created: true };
}

async function updateCustomerFields(tx: Queryable, settings: DomainSettings, customerId: string, input: CustomerInput): Promise<void> {
  const row = await lockLiveCustomer(tx, customerId);
  const identities = identitiesOf(input, settings);
  const taken = (await findOwners(tx, identities)).find((owner) => owner.customerId && owner.customerId !== customerId);
  if (taken) {
    throw new HubError('identity_conflict', `${taken.identity.value} already belongs to customer ${taken.customerId}`, {
      customerIds: [taken.customerId],
    });
  }
  await attachIdentities(tx, customerId, identities);
  await tx.query('UPDATE customers SET name = $2, attributes = $3, tags = $4, updated_at = now() WHERE id = $1', [
    customerId,
    input.name === undefined ? row.name : input.name || null,
    JSON.stringify(mergeAttributes(row.attributes, input.attributes, settings)),
    input.tags === undefined ? row.tags : normalizeTags(input.tags),
  ]);
}

/** Changes a customer: the same fields as create; identities given are added. */
export async function updateCustomer(db: Database, settings: DomainSettings, customerId: string, patch: CustomerInput): Promise<Customer> {
  return db.transaction(async (tx) => {
    await updateCustomerFields(tx, settings, customerId, patch);
    return getCustomer(tx, customerId);
  });
}

export async function createCustomer(
  db: Database,
  settings: DomainSettings,
  input: CustomerInput,
  mode: 'create' | 'upsert',
): Promise<{ customer: Customer; created: boolean }> {
  return db.transaction(async (tx) => {
    const { customerId, created } = await saveCustomer(tx, settings, input, mode);
    return { customer: await getCustomer(tx, customerId), created };
  });
}

/** Deletes the customer and everything held about them (conversations, messages, orders, timeline). */
export async function deleteCustomer(db: Database, customerId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await getCustomerRow(tx, customerId, { forUpdate: true });
    await tx.query('DELETE FROM customers WHERE id = $1', [customerId]);
  });
}
