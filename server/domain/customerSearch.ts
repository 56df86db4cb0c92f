import { z } from 'zod';
import type { Queryable } from '../db/database';
import type { DomainSettings } from './context';
import { decodeCursor, type Page, pageOf } from './cursor';
import { type Customer, type CustomerRow, toCustomers } from './customers';
import { normalizeIdentity } from './identities';

export const customerSorts = ['createdAt', '-createdAt', 'name', '-name', 'lifetimeValue', '-lifetimeValue', 'lastOrderAt', '-lastOrderAt'] as const;
export type CustomerSort = (typeof customerSorts)[number];

export const customerSearchSchema = z.object({
  q: z.string().trim().min(1).max(200).optional().describe('Full text over names, message bodies, and the start of emails, phones and external ids'),
  name: z.string().trim().min(1).max(200).optional().describe('Part of the name, any case'),
  email: z.string().trim().min(1).max(320).optional(),
  phone: z.string().trim().min(1).max(50).optional(),
  externalId: z.string().trim().min(1).max(320).optional(),
  tag: z
    .union([z.string().max(200), z.array(z.string().max(200)).max(20)])
    .transform((given) => [given].flat().flatMap((list) => list.split(',')).map((tag) => tag.trim().toLowerCase()).filter(Boolean))
    .optional()
    .describe('Tags, comma-separated or repeated; a customer must have all of them'),
  segment: z.string().trim().min(1).max(64).optional().describe('RFM segment name, e.g. Champions'),
  sort: z.enum(customerSorts).default('-createdAt'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(500).optional(),
});
export type CustomerSearch = z.infer<typeof customerSearchSchema> & {
  /** attr.<key>=value filters: the attribute equals the value (as JSON when it parses, else as text). */
  attributes?: Record<string, string>;
};

// Each sort: the key expression, its cursor part, and how it orders. Ties break on id.
const SORTS: Record<string, { key: string; part: 'timestamp' | 'string' | 'decimal'; cast: string }> = {
  createdAt: { key: 'c.created_at', part: 'timestamp', cast: 'timestamptz' },
  name: { key: "lower(coalesce(c.name, ''))", part: 'string', cast: 'text' },
  lifetimeValue: { key: 'c.lifetime_value', part: 'decimal', cast: 'numeric' },
  // Customers who never ordered sort as the oldest possible order.
  lastOrderAt: { key: "coalesce(c.last_order_at, 'epoch'::timestamptz)", part: 'timestamp', cast: 'timestamptz' },
};

/** Customers matching every filter given, in the order asked, a page at a time. Merged customers never appear. */
export async function searchCustomers(db: Queryable, settings: DomainSettings, search: CustomerSearch): Promise<Page<Customer>> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ['c.merged_into_id IS NULL', 'c.erased_at IS NULL'];
  const identityIs = (kind: string, value: string) =>
    `c.id IN (SELECT customer_id FROM customer_identities WHERE kind = '${kind}' AND value = ${param(value)})`;

  if (search.q) {
    const words = search.q.match(/[\p{L}\p{N}]+/gu) ?? [];
    // One set of matching ids, each part from its own index, so no row is tested one by one.
    const matches = [
      `SELECT customer_id FROM customer_identities WHERE kind <> 'visitor' AND value LIKE ${param(`${escapeLike(search.q.toLowerCase())}%`)}`,
    ];
    if (words.length > 0) {
      const query = param(words.map((word) => `'${word.toLowerCase()}':*`).join(' & '));
      matches.push(
        `SELECT id FROM customers WHERE to_tsvector('simple', coalesce(name, '')) @@ to_tsquery('simple', ${query})`,
        `SELECT customer_id FROM messages WHERE to_tsvector('simple', body) @@ to_tsquery('simple', ${query})`,
      );
    }
    where.push(`c.id IN (${matches.join(' UNION ')})`);
  }
  if (search.name) where.push(`lower(coalesce(c.name, '')) LIKE ${param(`%${escapeLike(search.name.toLowerCase())}%`)}`);
  if (search.email) where.push(identityIs('email', normalizeIdentity({ kind: 'email', value: search.email }).value));
  if (search.phone) where.push(identityIs('phone', normalizeIdentity({ kind: 'phone', value: search.phone }, settings.defaultPhoneRegion).value));
  if (search.externalId) where.push(identityIs('external', search.externalId));
  if (search.tag?.length) where.push(`c.tags @> ${param(search.tag)}::text[]`);
  if (search.segment) where.push(`c.rfm_segment = ${param(search.segment)}`);
  for (const [key, value] of Object.entries(search.attributes ?? {})) {
    const alternatives = [...new Set([JSON.stringify({ [key]: value }), asJsonAttribute(key, value)])];
    where.push(`(${alternatives.map((json) => `c.attributes @> ${param(json)}::jsonb`).join(' OR ')})`);
  }

  const descending = search.sort.startsWith('-');
  const sort = SORTS[search.sort.replace('-', '')]!;
  const direction = descending ? 'DESC' : 'ASC';
  if (search.cursor) {
    const [key, id] = decodeCursor(search.cursor, [sort.part, 'string']);
    where.push(`(${sort.key}, c.id) ${descending ? '<' : '>'} (${param(key)}::${sort.cast}, ${param(id)})`);
  }
  const rows = await db.query<CustomerRow & { sort_key: Date | string }>(
    `SELECT c.*, ${sort.key} AS sort_key FROM customers c
      WHERE ${where.join(' AND ')}
      ORDER BY ${sort.key} ${direction}, c.id ${direction}
      LIMIT ${param(search.limit + 1)}`,
    params,
  );
  const page = pageOf(rows, search.limit, (row) => [row.sort_key instanceof Date ? row.sort_key.toISOString() : String(row.sort_key), row.id]);
  return { items: await toCustomers(db, page.items), nextCursor: page.nextCursor };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/** `attr.seats=5` means the number 5 as well as the text "5". */
function asJsonAttribute(key: string, value: string): string {
  try {
    return JSON.stringify({ [key]: JSON.parse(value) });
  } catch {
    return JSON.stringify({ [key]: value });
  }
}
