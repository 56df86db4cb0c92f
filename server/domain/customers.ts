import type { Database, Queryable } from '../db/database';
import { HubError } from './errors';
import { newId } from './ids';

export type IdentityKind = 'email' | 'phone' | 'visitor' | 'external';
export type Identity = { kind: IdentityKind; value: string };

export type Customer = {
  id: string;
  name: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
  createdAt: string;
};

type CustomerRow = { id: string; name: string | null; attributes: Record<string, unknown>; tags: string[]; created_at: Date };

const toCustomer = (row: CustomerRow): Customer => ({
  id: row.id,
  name: row.name,
  attributes: row.attributes,
  tags: row.tags,
  createdAt: row.created_at.toISOString(),
});

/** The canonical spelling of an identity, so one address never makes two customers. */
export function normalizeIdentity(identity: Identity): Identity {
  const value = identity.value.trim();
  switch (identity.kind) {
    case 'email':
      return { kind: 'email', value: value.toLowerCase() };
    case 'phone':
      return { kind: 'phone', value: value.replace(/[\s().-]/g, '') };
    default:
      return { kind: identity.kind, value };
  }
}

export async function getCustomer(db: Queryable, customerId: string): Promise<Customer> {
  const [row] = await db.query<CustomerRow>('SELECT * FROM customers WHERE id = $1', [customerId]);
  if (!row) throw new HubError('customer_not_found', `No customer ${customerId}`);
  return toCustomer(row);
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
  const normalized = identities.map(normalizeIdentity);
  // Two spellings of one address are one identity; duplicates would look like a lost race below.
  const wanted = normalized.filter(
    (identity, index) => normalized.findIndex((other) => other.kind === identity.kind && other.value === identity.value) === index,
  );
  for (let attempt = 0; attempt < 3; attempt++) {
    const known = await findOwner(tx, wanted);
    if (known) {
      // Most messages come from a customer whose identities are all known: no write then.
      if (known.unclaimed.length > 0) await attachIdentities(tx, known.customerId, known.unclaimed);
      return { customer: await getCustomer(tx, known.customerId), created: false };
    }
    const [row] = await tx.query<CustomerRow>(
      'INSERT INTO customers (id, name) VALUES ($1, $2) RETURNING *',
      [newId('cus'), name?.trim() || null],
    );
    const customer = toCustomer(row!);
    const attached = await attachIdentities(tx, customer.id, wanted);
    if (attached === wanted.length) return { customer, created: true };
    // A concurrent transaction claimed one of these identities first: use its customer instead.
    await tx.query('DELETE FROM customers WHERE id = $1', [customer.id]);
  }
  throw new HubError('internal', 'Could not resolve the customer for these identities');
}

/** The customer the strongest known identity belongs to, and the identities nobody owns yet. */
async function findOwner(
  tx: Queryable,
  identities: readonly Identity[],
): Promise<{ customerId: string; unclaimed: Identity[] } | undefined> {
  const rows = await tx.query<{ customer_id: string; kind: string; value: string }>(
    `SELECT customer_id, kind, value FROM customer_identities
      WHERE (kind, value) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [identities.map((identity) => identity.kind), identities.map((identity) => identity.value)],
  );
  const ownerOf = (identity: Identity) =>
    rows.find((candidate) => candidate.kind === identity.kind && candidate.value === identity.value)?.customer_id;
  // The first identity given is the strongest claim (e.g. the visitor id the widget holds).
  const customerId = identities.map(ownerOf).find(Boolean);
  return customerId ? { customerId, unclaimed: identities.filter((identity) => !ownerOf(identity)) } : undefined;
}

async function attachIdentities(tx: Queryable, customerId: string, identities: readonly Identity[]): Promise<number> {
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

/**
 * What a visitor tells us about themselves in chat. An email nobody has claimed becomes theirs,
 * so their later emails join the same customer; one that belongs to another customer is not
 * linked, since an unverified claim must never open someone else's history.
 */
export async function identifyCustomer(
  db: Database,
  customerId: string,
  claim: { email?: string; name?: string },
): Promise<{ customer: Customer; emailLinked: boolean }> {
  return db.transaction(async (tx) => {
    let emailLinked = false;
    if (claim.email) {
      const email = normalizeIdentity({ kind: 'email', value: claim.email });
      await attachIdentities(tx, customerId, [email]);
      const [owner] = await tx.query<{ customer_id: string }>(
        "SELECT customer_id FROM customer_identities WHERE kind = 'email' AND value = $1",
        [email.value],
      );
      emailLinked = owner?.customer_id === customerId;
    }
    if (claim.name?.trim()) {
      await tx.query('UPDATE customers SET name = $2, updated_at = now() WHERE id = $1 AND name IS NULL', [customerId, claim.name.trim()]);
    }
    return { customer: await getCustomer(tx, customerId), emailLinked };
  });
}
