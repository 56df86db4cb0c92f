/**
 * Money as integer cents (bigint): sums and products of amounts are exact, never binary floats.
 * The largest amount is what the database column holds, numeric(14, 2).
 */
export const MAX_CENTS = 99_999_999_999_999n;

const AMOUNT = /^(\d+)(?:\.(\d+))?$/;

export type ParsedAmount = { ok: true; cents: bigint } | { ok: false; problem: string };

/** The cents of a non-negative decimal amount, "19.9", "19.90" or 19.9; or why it is not one. */
export function parseCents(value: string | number): ParsedAmount {
  // A JSON number arrives as a double; its shortest spelling is what the sender wrote (19.9, not 19.899…).
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (text.startsWith('-')) return { ok: false, problem: 'must not be negative' };
  const match = AMOUNT.exec(text);
  if (!match) return { ok: false, problem: `must be a decimal amount like "19.90", not ${JSON.stringify(value)}` };
  const [, units, fraction = ''] = match;
  if (fraction.length > 2) return { ok: false, problem: 'must have at most 2 decimals' };
  const cents = BigInt(units!) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (cents > MAX_CENTS) return { ok: false, problem: `must be at most ${formatCents(MAX_CENTS)}` };
  return { ok: true, cents };
}

/** "19.90" for 1990n: the decimal string the API shows amounts as. */
export function formatCents(cents: bigint): string {
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}
