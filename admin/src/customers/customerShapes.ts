import type { Customer } from '../api/types';

/** A customer as GET /api/customers/:id answers (README, "Customers, orders and timelines"). */
export type CustomerRecord = Customer & {
  email: string | null;
  phone: string | null;
  externalId: string | null;
  orders: { count: number; lifetimeValue: string; currency: string | null; firstOrderAt: string | null; lastOrderAt: string | null };
  rfm: { recency: number; frequency: number; monetary: number; segment: string; computedAt: string } | null;
  erasedAt: string | null;
};

export type OrderItem = { product: string; quantity: number; unitPrice: string };
export type Order = {
  id: string;
  customerId: string;
  source: string;
  number: string;
  status: string;
  currency: string;
  total: string;
  items: OrderItem[];
  placedAt: string;
};

/** One row of GET /api/customers/:id/timeline: `reference` names the thing it is about. */
export type TimelineEntry = { id: string; customerId: string; at: string; kind: string; reference: string | null; data: Record<string, unknown> };

export type CustomerNote = { id: string; customerId: string; conversationId: string | null; agentId: string | null; body: string; createdAt: string };

/** The RFM segments the hub names (server/domain/rfm.ts), for the search filter. */
export const RFM_SEGMENTS = [
  'Champions',
  'Loyal',
  'Big spenders',
  'New',
  'Promising',
  'Needs attention',
  "Can't lose them",
  'At risk',
  'Hibernating',
  'About to sleep',
  'Lost',
] as const;

/** What to call a customer who never told us their name. */
export function displayName(customer: Pick<CustomerRecord, 'name' | 'email' | 'phone' | 'externalId' | 'erasedAt'>): string {
  if (customer.erasedAt) return 'Erased customer';
  return customer.name || customer.email || customer.phone || customer.externalId || 'Anonymous visitor';
}
