import { z } from 'zod';
import type { Queryable } from '../../db/database';
import { type Customer, type CustomerRow, toCustomers } from '../customers';
import { ATTRIBUTE_PREFIX, csvRecord, escapeFormula, FIELD_COLUMNS, TAG_SEPARATOR, writeAttributeCell } from './format';

export const customerExportQuery = z.object({
  tag: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .transform((tag) => tag.toLowerCase())
    .optional()
    .describe('Only customers with this tag'),
});

const PAGE_SIZE = 500;

// Customers an import can find again: live, and known by more than a widget visitor id.
const EXPORTED = `c.merged_into_id IS NULL AND c.erased_at IS NULL
  AND ($1::text IS NULL OR c.tags @> ARRAY[$1::text])
  AND EXISTS (SELECT 1 FROM customer_identities i WHERE i.customer_id = c.id AND i.kind <> 'visitor')`;

/**
 * The customers as CSV (UTF-8 with a BOM so Excel reads it right, CRLF), read a page at a time as
 * the returned text is consumed. The columns are fixed when this resolves: one per attribute key
 * any exported customer has, sorted.
 */
export async function exportCustomersCsv(db: Queryable, filter: { tag?: string }): Promise<AsyncIterable<string>> {
  const tag = filter.tag ?? null;
  const keys = (
    await db.query<{ key: string }>(`SELECT DISTINCT jsonb_object_keys(c.attributes) AS key FROM customers c WHERE ${EXPORTED}`, [tag])
  )
    .map((row) => row.key)
    .sort();
  return (async function* () {
    yield `\uFEFF${csvRecord([...FIELD_COLUMNS, ...keys.map((key) => `${ATTRIBUTE_PREFIX}${key}`)])}`;
    let after = '';
    for (;;) {
      const rows = await db.query<CustomerRow>(`SELECT * FROM customers c WHERE ${EXPORTED} AND c.id > $2 ORDER BY c.id LIMIT ${PAGE_SIZE}`, [tag, after]);
      if (rows.length === 0) return;
      const customers = await toCustomers(db, rows);
      yield customers.map((customer) => csvRecord(cellsOf(customer, keys).map(escapeFormula))).join('');
      if (rows.length < PAGE_SIZE) return;
      after = rows.at(-1)!.id;
    }
  })();
}

function cellsOf(customer: Customer, keys: readonly string[]): string[] {
  return [
    customer.name ?? '',
    customer.email ?? '',
    customer.phone ?? '',
    customer.externalId ?? '',
    customer.tags.join(TAG_SEPARATOR),
    ...keys.map((key) => (Object.hasOwn(customer.attributes, key) ? writeAttributeCell(customer.attributes[key]) : '')),
  ];
}
