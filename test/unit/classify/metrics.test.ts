import { evaluate } from '../../../workers/classify/metrics';

const pairs = (rows: [string, string, number][]) =>
  rows.flatMap(([expected, predicted, times]) => Array.from({ length: times }, () => ({ expected, predicted })));

describe('evaluate', () => {
  it('gives accuracy, per-intent precision/recall/F1/support and their macro mean on a known confusion', () => {
    // a: 3 right, 1 taken for b. b: 1 right, 1 taken for a. c: predicted once, never expected.
    const evaluation = evaluate(pairs([['a', 'a', 3], ['a', 'b', 1], ['b', 'b', 1], ['b', 'a', 1], ['b', 'c', 1]]));
    expect(evaluation.examples).toBe(7);
    expect(evaluation.accuracy).toBeCloseTo(4 / 7);
    expect(evaluation.perIntent.a).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
    expect(evaluation.perIntent.b!.precision).toBeCloseTo(0.5);
    expect(evaluation.perIntent.b!.recall).toBeCloseTo(1 / 3);
    expect(evaluation.perIntent.b!.f1).toBeCloseTo(0.4);
    expect(evaluation.perIntent.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(evaluation.macroF1).toBeCloseTo((0.75 + 0.4 + 0) / 3);
  });

  it('is 1 everywhere when every prediction is right', () => {
    const evaluation = evaluate(pairs([['a', 'a', 2], ['b', 'b', 5]]));
    expect(evaluation).toMatchObject({ accuracy: 1, macroF1: 1 });
  });

  it('weighs a rare intent as much as a common one', () => {
    const evaluation = evaluate(pairs([['common', 'common', 98], ['rare', 'common', 2]]));
    expect(evaluation.accuracy).toBeCloseTo(0.98);
    expect(evaluation.macroF1).toBeLessThan(0.5);
  });
});
