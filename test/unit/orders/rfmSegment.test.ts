import { rfmSegment, rfmSegments } from '../../../server/domain/rfm';

const SCORES = [1, 2, 3, 4, 5];
const everyScore = SCORES.flatMap((r) => SCORES.flatMap((f) => SCORES.map((m) => [r, f, m] as const)));

describe('rfmSegment', () => {
  it('names exactly one known segment for each of the 125 score triples', () => {
    expect(everyScore).toHaveLength(125);
    for (const [r, f, m] of everyScore) {
      expect({ scores: [r, f, m], known: rfmSegments.includes(rfmSegment(r, f, m)) }).toEqual({ scores: [r, f, m], known: true });
    }
  });

  it('uses every segment of the table for some scores', () => {
    const used = new Set(everyScore.map(([r, f, m]) => rfmSegment(r, f, m)));
    expect([...used].sort()).toEqual([...rfmSegments].sort());
  });

  it.each([
    // [r, f, m, segment]: one row per rule, plus the edges where a rule gives way to the next.
    [5, 5, 5, 'Champions'],
    [4, 4, 4, 'Champions'],
    [4, 4, 3, 'Loyal'],
    [3, 5, 5, 'Loyal'],
    [5, 3, 5, 'Big spenders'],
    [3, 1, 5, 'Big spenders'],
    [5, 1, 4, 'New'],
    [4, 1, 1, 'New'],
    [5, 2, 1, 'Promising'],
    [4, 3, 4, 'Promising'],
    [3, 3, 4, 'Needs attention'],
    [3, 1, 1, 'Needs attention'],
    [2, 4, 5, "Can't lose them"],
    [1, 5, 1, "Can't lose them"],
    [2, 3, 5, 'At risk'],
    [1, 3, 1, 'At risk'],
    [2, 2, 5, 'Hibernating'],
    [1, 2, 1, 'Hibernating'],
    [2, 1, 5, 'About to sleep'],
    [2, 1, 1, 'About to sleep'],
    [1, 1, 5, 'Lost'],
    [1, 1, 1, 'Lost'],
  ] as const)('(%i, %i, %i) is %s', (r, f, m, segment) => {
    expect(rfmSegment(r, f, m)).toBe(segment);
  });

  it('ignores the monetary score of customers who have gone quiet (recency 1-2)', () => {
    for (const [r, f] of [[2, 4], [1, 3], [2, 2], [2, 1], [1, 1]] as const) {
      expect(new Set(SCORES.map((m) => rfmSegment(r, f, m))).size).toBe(1);
    }
  });

  it.each([
    [0, 3, 3],
    [3, 6, 3],
    [3, 3, 2.5],
    [Number.NaN, 1, 1],
  ])('refuses scores outside 1-5: (%p, %p, %p)', (r, f, m) => {
    expect(() => rfmSegment(r, f, m)).toThrow(RangeError);
  });
});
