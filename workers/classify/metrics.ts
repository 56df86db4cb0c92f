/** Precision, recall and F1 of one intent, with how many held-out examples had it. */
export type IntentScore = { precision: number; recall: number; f1: number; support: number };
export type Evaluation = { examples: number; accuracy: number; macroF1: number; perIntent: Record<string, IntentScore> };

/**
 * Accuracy and macro-F1 (the unweighted mean of per-intent F1, over every intent that was expected
 * or predicted, so a rare intent weighs as much as a common one).
 */
export function evaluate(pairs: { expected: string; predicted: string }[]): Evaluation {
  const labels = [...new Set(pairs.flatMap((pair) => [pair.expected, pair.predicted]))].sort();
  const perIntent: Record<string, IntentScore> = {};
  for (const label of labels) {
    const truePositives = pairs.filter((pair) => pair.expected === label && pair.predicted === label).length;
    const predicted = pairs.filter((pair) => pair.predicted === label).length;
    const support = pairs.filter((pair) => pair.expected === label).length;
    const precision = predicted ? truePositives / predicted : 0;
    const recall = support ? truePositives / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perIntent[label] = { precision, recall, f1, support };
  }
  const correct = pairs.filter((pair) => pair.expected === pair.predicted).length;
  const f1s = Object.values(perIntent).map((score) => score.f1);
  return {
    examples: pairs.length,
    accuracy: pairs.length ? correct / pairs.length : 0,
    macroF1: f1s.length ? f1s.reduce((sum, f1) => sum + f1, 0) / f1s.length : 0,
    perIntent,
  };
}
