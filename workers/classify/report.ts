import type { Evaluation } from './metrics';

const figure = (value: number) => value.toFixed(3);
const count = (value: number) => value.toLocaleString('en-US');

/** A per-intent table (precision, recall, F1, support), then accuracy and macro-F1. */
export function evaluationTable(title: string, evaluation: Evaluation): string {
  const width = Math.max(24, ...Object.keys(evaluation.perIntent).map((intent) => intent.length + 2));
  const lines = [`${title}: ${count(evaluation.examples)} held-out examples`, `${'intent'.padEnd(width)}precision  recall      f1  support`];
  for (const [intent, score] of Object.entries(evaluation.perIntent)) {
    lines.push(
      `${intent.padEnd(width)}${figure(score.precision).padStart(9)}${figure(score.recall).padStart(8)}${figure(score.f1).padStart(8)}${String(score.support).padStart(9)}`,
    );
  }
  lines.push(summaryLine(evaluation));
  return lines.join('\n');
}

export function summaryLine(evaluation: Evaluation): string {
  const examples = `${count(evaluation.examples)} example${evaluation.examples === 1 ? '' : 's'}`;
  return `accuracy ${figure(evaluation.accuracy)}  macro-F1 ${figure(evaluation.macroF1)}  (${examples})`;
}

/** What the confidence threshold does to these predictions: how many are answered, and how many of those are right. */
export function thresholdLine(threshold: number, predictions: { expected: string; predicted: string; confidence: number }[]): string {
  const answered = predictions.filter((prediction) => prediction.confidence >= threshold);
  const right = answered.filter((prediction) => prediction.expected === prediction.predicted).length;
  const share = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a');
  return `at confidence threshold ${threshold}: ${share(answered.length, predictions.length)} get an intent (the rest unknown), ${share(right, answered.length)} of those right`;
}
