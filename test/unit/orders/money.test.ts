import { formatCents, MAX_CENTS, parseCents } from '../../../server/domain/money';

describe('parseCents', () => {
  it.each([
    ['19.90', 1990n],
    ['19.9', 1990n],
    ['19', 1900n],
    [' 0.05 ', 5n],
    ['0', 0n],
    [19.9, 1990n],
    [0.1, 10n],
    [1234567.89, 123456789n],
    ['999999999999.99', MAX_CENTS],
  ] as const)('reads %j as %p cents', (value, cents) => {
    expect(parseCents(value)).toEqual({ ok: true, cents });
  });

  it('adds amounts exactly where binary floats would not', () => {
    const tenth = parseCents(0.1);
    const fifth = parseCents(0.2);
    if (!tenth.ok || !fifth.ok) throw new Error('0.1 and 0.2 are amounts');
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatCents(tenth.cents + fifth.cents)).toBe('0.30');
  });

  it.each([
    ['-1.00', 'must not be negative'],
    [-0.5, 'must not be negative'],
    ['1.999', 'must have at most 2 decimals'],
    [0.1 + 0.2, 'must have at most 2 decimals'],
    ['1e3', 'must be a decimal amount'],
    [1e21, 'must be a decimal amount'],
    ['12,50', 'must be a decimal amount'],
    ['', 'must be a decimal amount'],
    ['.5', 'must be a decimal amount'],
    ['1000000000000.00', 'must be at most 999999999999.99'],
  ] as const)('refuses %j: %s', (value, problem) => {
    const parsed = parseCents(value);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.problem).toContain(problem);
  });
});

describe('formatCents', () => {
  it.each([
    [0n, '0.00'],
    [5n, '0.05'],
    [1990n, '19.90'],
    [MAX_CENTS, '999999999999.99'],
  ])('shows %p cents as %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });
});
