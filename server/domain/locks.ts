import type { Queryable } from '../db/database';

/**
 * Serializes every message write for one customer (ingest and replies take it first), so
 * duplicate checks cannot race and message order equals commit order for that customer.
 */
export async function lockCustomer(tx: Queryable, customerId: string): Promise<void> {
  await tx.query('SELECT id FROM customers WHERE id = $1 FOR UPDATE', [customerId]);
}
