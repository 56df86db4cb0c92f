import { timingSafeEqual } from 'node:crypto';

/** Compares a secret given by a client with the expected one without leaking, through timing, how much matched. */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
