import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../db/database';
import { resolveCustomer } from './customers';

export type VisitorSession = { visitorId: string; customerId: string };

const MAX_VISITOR_ID_LENGTH = 100;

/**
 * The widget's visitor: the one it names when we know it, else a new visitor (and customer).
 * Visitor ids are long random secrets: holding one is what lets a browser read its chat.
 */
export async function startVisitorSession(db: Database, visitorId: unknown): Promise<VisitorSession> {
  if (typeof visitorId === 'string' && visitorId.length <= MAX_VISITOR_ID_LENGTH) {
    const customerId = await customerOfVisitor(db, visitorId);
    if (customerId) return { visitorId, customerId };
  }
  const newVisitorId = `vis_${randomBytes(24).toString('base64url')}`;
  const { customer } = await db.transaction((tx) => resolveCustomer(tx, [{ kind: 'visitor', value: newVisitorId }]));
  return { visitorId: newVisitorId, customerId: customer.id };
}

/**
 * The customer a visitor is now. It changes while a chat is open when the visitor's history
 * joins another customer (a verified identity, an agent's merge), so sockets ask each time.
 */
export async function customerOfVisitor(db: Queryable, visitorId: string): Promise<string | undefined> {
  const [known] = await db.query<{ customer_id: string }>(
    "SELECT customer_id FROM customer_identities WHERE kind = 'visitor' AND value = $1",
    [visitorId],
  );
  return known?.customer_id;
}
