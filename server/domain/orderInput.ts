import { z } from 'zod';
import { HubError } from './errors';
import { formatCents, MAX_CENTS, parseCents } from './money';

export const orderStatuses = ['pending', 'paid', 'fulfilled', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** The statuses an order counts with in a customer's order count and lifetime value. */
export const COUNTED_STATUSES: readonly OrderStatus[] = ['pending', 'paid', 'fulfilled'];

export const MAX_ORDER_ITEMS = 500;
/** How far ahead of our clock an order may say it was placed (the sender's clock may run fast). */
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

const amount = z
  .union([z.string().max(40), z.number()], { error: 'must be a decimal amount like "19.90"' })
  .describe('A decimal string or number, at least 0, with at most 2 decimals, e.g. "19.90"')
  .transform((value, ctx) => {
    const parsed = parseCents(value);
    if (parsed.ok) return parsed.cents;
    ctx.issues.push({ code: 'custom', message: parsed.problem, input: value });
    return z.NEVER;
  });

const currencyCode = z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code in capitals, like "EUR"' });

const orderItemSchema = z
  .object({
    product: z.string().trim().min(1).max(500),
    quantity: z.number().int({ error: 'must be a whole number' }).positive().max(1_000_000),
    unitPrice: amount,
    currency: currencyCode.optional(),
  })
  .strict();

/** The fields of an order, as a shop or an import sends them. */
export const orderFields = {
  source: z.string().trim().min(1).max(100).default('default').describe('The system the order comes from; number is unique within it'),
  number: z.string().trim().min(1).max(100),
  items: z
    .array(orderItemSchema)
    .min(1, { error: 'An order needs at least one item' })
    .max(MAX_ORDER_ITEMS, { error: `An order may have at most ${MAX_ORDER_ITEMS} items` }),
  currency: currencyCode,
  total: amount.optional().describe('Must equal the sum of quantity × unitPrice; computed when absent'),
  status: z.enum(orderStatuses).default('paid'),
  placedAt: z.iso.datetime({ offset: true }).optional().describe('Defaults to now; at most one day ahead'),
};
export const orderInputSchema = z.object(orderFields).strict();
export type OrderInput = z.infer<typeof orderInputSchema>;

export type OrderItem = { product: string; quantity: number; unitPrice: string };

/** An order checked and in its canonical form, ready to compare with a stored one or to store. */
export type OrderDraft = {
  source: string;
  number: string;
  status: OrderStatus;
  currency: string;
  /** Exact decimal, e.g. "19.90". */
  total: string;
  items: OrderItem[];
  placedAt: Date;
};

/** Checks what the schema cannot: one currency, a total that adds up, a plausible time. */
export function toOrderDraft(input: OrderInput, now: Date): OrderDraft {
  const foreign = input.items.find((item) => item.currency !== undefined && item.currency !== input.currency);
  if (foreign) {
    throw new HubError('currency_mismatch', `An item is priced in ${foreign.currency} but the order is in ${input.currency}; one order has one currency`);
  }
  const sum = input.items.reduce((total, item) => total + BigInt(item.quantity) * item.unitPrice, 0n);
  if (sum > MAX_CENTS) throw new HubError('validation_failed', `total: the items add up to more than ${formatCents(MAX_CENTS)}`);
  if (input.total !== undefined && input.total !== sum) {
    throw new HubError('validation_failed', `total: ${formatCents(input.total)} is not the sum of the items, ${formatCents(sum)}`);
  }
  const placedAt = input.placedAt ? new Date(input.placedAt) : now;
  if (placedAt.getTime() > now.getTime() + MAX_FUTURE_MS) {
    throw new HubError('validation_failed', 'placedAt: an order cannot be placed more than one day in the future');
  }
  return {
    source: input.source,
    number: input.number,
    status: input.status,
    currency: input.currency,
    total: formatCents(sum),
    items: input.items.map((item) => ({ product: item.product, quantity: item.quantity, unitPrice: formatCents(item.unitPrice) })),
    placedAt,
  };
}
