import { stratifiedSplit } from '../../../workers/classify/split';

const examples = ['a', 'b', 'c'].flatMap((intent, i) =>
  Array.from({ length: 10 * (i + 1) }, (_, n) => ({ text: `${intent} example ${n}`, intent })),
);
const texts = (items: { text: string }[]) => items.map((item) => item.text).sort();

describe('stratifiedSplit', () => {
  it('holds out a fifth of every intent', () => {
    const { train, test } = stratifiedSplit(examples);
    const heldOut = (intent: string) => test.filter((example) => example.intent === intent).length;
    expect([heldOut('a'), heldOut('b'), heldOut('c')]).toEqual([2, 4, 6]);
    expect(train.length + test.length).toBe(examples.length);
    expect(texts(test).filter((text) => texts(train).includes(text))).toEqual([]);
  });

  it('is the same split every time, whatever the order of the input', () => {
    const first = stratifiedSplit(examples);
    const again = stratifiedSplit([...examples].reverse());
    expect(texts(again.test)).toEqual(texts(first.test));
    expect(texts(again.train)).toEqual(texts(first.train));
  });

  it('depends on the seed', () => {
    expect(texts(stratifiedSplit(examples, { seed: 'other' }).test)).not.toEqual(texts(stratifiedSplit(examples).test));
  });

  it('holds out nothing of an intent too small to spare a fifth', () => {
    const { train, test } = stratifiedSplit([{ text: 'only one', intent: 'rare' }, ...examples]);
    expect(train.some((example) => example.intent === 'rare')).toBe(true);
    expect(test.some((example) => example.intent === 'rare')).toBe(false);
  });
});
