import { createHash } from 'node:crypto';

/** The seed of the train/held-out split: change it and every figure is measured on other examples. */
export const SPLIT_SEED = 'intent-split-1';

const rank = (seed: string, text: string) => createHash('sha256').update(`${seed}\0${text}`).digest('hex');

/**
 * A deterministic stratified split: within each intent, examples are ordered by a seeded hash of
 * their text and the first `share` of them (rounded) are held out. The same data always gives the
 * same split, whatever the order of the input, and each intent keeps its share.
 */
export function stratifiedSplit<T extends { text: string; intent: string }>(
  examples: T[],
  options: { seed?: string; share?: number } = {},
): { train: T[]; test: T[] } {
  const seed = options.seed ?? SPLIT_SEED;
  const share = options.share ?? 0.2;
  const byIntent = new Map<string, { example: T; rank: string }[]>();
  for (const example of examples) {
    const group = byIntent.get(example.intent) ?? [];
    group.push({ example, rank: rank(seed, example.text) });
    byIntent.set(example.intent, group);
  }
  const train: T[] = [];
  const test: T[] = [];
  for (const intent of [...byIntent.keys()].sort()) {
    const group = byIntent.get(intent)!.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
    const held = Math.round(group.length * share);
    group.forEach(({ example }, i) => (i < held ? test : train).push(example));
  }
  return { train, test };
}
