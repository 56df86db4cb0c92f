/**
 * Multinomial naive Bayes over token counts, smoothed towards how common each token is overall
 * (Dirichlet smoothing), with a softmax temperature fitted on examples the counts never saw, so
 * a confidence of 0.8 is right about 80% of the time. The JSON keeps only per-intent counts (no
 * training text), so it stays small.
 */
export type NaiveBayesJson = {
  labels: string[];
  /** Training examples per label. */
  documents: number[];
  /** Tokens counted per label, per script (see scriptOf). */
  totals: Record<Script, number[]>;
  /** Distinct tokens per script. */
  vocabulary: Record<Script, number>;
  /** token -> [labelIndex, count, labelIndex, count, ...] for the labels it occurred with. */
  counts: Record<string, number[]>;
  /** Smoothing strength: pseudo-counts per distinct token of the script. */
  alpha: number;
  /** Softmax temperature for messages with CJK tokens and for the others, fitted apart. */
  temperature: Record<Script, number>;
};

/**
 * Han, Kana and Hangul tokens are counted apart from the others: a Chinese token's probability
 * then depends on how much Chinese each intent was trained with, not on the far larger English
 * counts, so a small Chinese set is not drowned by the English one. An intent with no examples
 * in a script gets the script's overall token frequencies: its words are no evidence either way.
 */
export type Script = 'cjk' | 'other';
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
export const scriptOf = (token: string): Script => (CJK.test(token) ? 'cjk' : 'other');

export type Prediction = { intent: string; confidence: number };
export type LabelledTokens = { tokens: string[]; label: string };

const DEFAULT_ALPHA = 1;

/** Per-label log scores (log prior + log likelihood of the known tokens), before calibration. */
export function logScores(model: NaiveBayesJson, tokens: string[]): number[] {
  const documentTotal = model.documents.reduce((sum, count) => sum + count, 0);
  const scores = model.documents.map((count) => Math.log(count / documentTotal));
  const smoothing = (script: Script) => {
    const strength = model.alpha * model.vocabulary[script];
    const scriptTotal = model.totals[script].reduce((sum, total) => sum + total, 0);
    return {
      strength,
      background: (count: number) => (count + 1) / (scriptTotal + model.vocabulary[script]),
      denominators: model.totals[script].map((total) => Math.log(total + strength)),
    };
  };
  const scripts = { cjk: smoothing('cjk'), other: smoothing('other') };
  for (const token of tokens) {
    const sparse = model.counts[token];
    // A token never seen in training says nothing about the intent.
    if (!sparse) continue;
    const perLabel = new Array<number>(model.labels.length).fill(0);
    let tokenTotal = 0;
    for (let i = 0; i < sparse.length; i += 2) {
      perLabel[sparse[i]!] = sparse[i + 1]!;
      tokenTotal += sparse[i + 1]!;
    }
    const { strength, background, denominators } = scripts[scriptOf(token)];
    const pseudoCount = strength * background(tokenTotal);
    for (let label = 0; label < scores.length; label++) {
      scores[label]! += Math.log(perLabel[label]! + pseudoCount) - denominators[label]!;
    }
  }
  return scores;
}

/** Softmax of the scores divided by the temperature. */
export function probabilities(scores: number[], temperature: number): number[] {
  const scaled = scores.map((score) => score / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((value) => Math.exp(value - max));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

/** A message is calibrated as CJK when any of its tokens is. */
const messageScript = (tokens: string[]): Script => (tokens.some((token) => scriptOf(token) === 'cjk') ? 'cjk' : 'other');

/** The most probable intent and its probability. */
export function predict(model: NaiveBayesJson, tokens: string[]): Prediction {
  const probs = probabilities(logScores(model, tokens), model.temperature[messageScript(tokens)]);
  let best = 0;
  for (let label = 1; label < probs.length; label++) if (probs[label]! > probs[best]!) best = label;
  return { intent: model.labels[best]!, confidence: probs[best]! };
}

/** Counts the examples' tokens per label (temperatures 1: calibrate with fitTemperatures). */
export function countTokens(examples: LabelledTokens[], alpha = DEFAULT_ALPHA): NaiveBayesJson {
  const labels = [...new Set(examples.map((example) => example.label))].sort();
  const index = new Map(labels.map((label, i) => [label, i]));
  const documents = new Array<number>(labels.length).fill(0);
  const totals = { cjk: new Array<number>(labels.length).fill(0), other: new Array<number>(labels.length).fill(0) };
  const perToken = new Map<string, Map<number, number>>();
  for (const example of examples) {
    const label = index.get(example.label)!;
    documents[label]! += 1;
    for (const token of example.tokens) {
      totals[scriptOf(token)][label]! += 1;
      let byLabel = perToken.get(token);
      if (!byLabel) perToken.set(token, (byLabel = new Map()));
      byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
    }
  }
  const counts: Record<string, number[]> = {};
  const vocabulary = { cjk: 0, other: 0 };
  for (const token of [...perToken.keys()].sort()) {
    vocabulary[scriptOf(token)] += 1;
    counts[token] = [...perToken.get(token)!].sort((a, b) => a[0] - b[0]).flat();
  }
  return { labels, documents, totals, vocabulary, counts, alpha, temperature: { cjk: 1, other: 1 } };
}

/** Mean negative log-likelihood of the true labels at this temperature. */
function calibrationLoss(scored: { scores: number[]; label: number }[], temperature: number): number {
  let loss = 0;
  for (const { scores, label } of scored) loss -= Math.log(Math.max(probabilities(scores, temperature)[label] ?? 0, 1e-12));
  return loss / scored.length;
}

/**
 * The temperature that makes the model's probabilities honest on these examples (unseen by `model`):
 * a golden-section search on log(temperature) minimising the negative log-likelihood.
 */
function fitTemperature(model: NaiveBayesJson, examples: LabelledTokens[]): number {
  const index = new Map(model.labels.map((label, i) => [label, i]));
  const scored = examples
    .filter((example) => index.has(example.label))
    .map((example) => ({ scores: logScores(model, example.tokens), label: index.get(example.label)! }));
  if (scored.length === 0) return 1;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let low = Math.log(0.05);
  let high = Math.log(200);
  for (let step = 0; step < 60; step++) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (calibrationLoss(scored, Math.exp(a)) < calibrationLoss(scored, Math.exp(b))) high = b;
    else low = a;
  }
  return Math.exp((low + high) / 2);
}

/** Temperatures fitted on examples `model` never saw, CJK messages apart from the others. */
export function fitTemperatures(model: NaiveBayesJson, examples: LabelledTokens[]): Record<Script, number> {
  return {
    cjk: fitTemperature(model, examples.filter((example) => messageScript(example.tokens) === 'cjk')),
    other: fitTemperature(model, examples.filter((example) => messageScript(example.tokens) === 'other')),
  };
}
