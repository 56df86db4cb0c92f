import type { Queryable } from '../db/database';

/**
 * Serializes every message write for one customer (ingest and replies take it first), so
 * duplicate checks cannot race and message order equals commit order for that customer.
 */
export async function lockCustomer(tx: Queryable, customerId: string): Promise<{ mergedInto: string | null }> {
  const [row] = await tx.query<{ merged_into_id: string | null }>('SELECT merged_into_id FROM customers WHERE id = $1 FOR UPDATE', [customerId]);
  return { mergedInto: row?.merged_into_id ?? null };
}
