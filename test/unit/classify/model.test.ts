import { countTokens, fitTemperatures, logScores, predict, probabilities } from '../../../workers/classify/model';

const toy = [
  { tokens: ['cancel', 'order'], label: 'cancel_order' },
  { tokens: ['cancel', 'my', 'order'], label: 'cancel_order' },
  { tokens: ['stop', 'order'], label: 'cancel_order' },
  { tokens: ['where', 'order'], label: 'track_order' },
  { tokens: ['track', 'order'], label: 'track_order' },
  { tokens: ['track', 'my', 'parcel'], label: 'track_order' },
  { tokens: ['refund'], label: 'get_refund' },
  { tokens: ['退款'], label: 'get_refund' },
  { tokens: ['我要', '退款'], label: 'get_refund' },
];

describe('multinomial naive Bayes', () => {
  const model = countTokens(toy, 1);

  it('keeps only per-intent counts, sparse, and the vocabulary per script', () => {
    expect(model.labels).toEqual(['cancel_order', 'get_refund', 'track_order']);
    expect(model.documents).toEqual([3, 3, 3]);
    expect(model.counts.order).toEqual([0, 3, 2, 2]);
    expect(model.counts['退款']).toEqual([1, 2]);
    expect(model.vocabulary).toEqual({ cjk: 2, other: 8 });
    expect(model.totals.cjk).toEqual([0, 3, 0]);
    expect(model.totals.other).toEqual([7, 1, 7]);
    expect(JSON.stringify(model)).not.toContain('cancel my order');
  });

  it('smooths each intent towards how common the token is in its script', () => {
    const [cancel] = logScores(model, ['cancel']);
    // background(cancel) = (2 + 1) / (15 + 8); P(cancel | cancel_order) = (2 + 8 × background) / (7 + 8)
    const background = 3 / 23;
    expect(cancel).toBeCloseTo(Math.log(3 / 9) + Math.log((2 + 8 * background) / 15));
  });

  it('takes the words of a script an intent has no examples in as no evidence either way', () => {
    const [cancel, refund, track] = logScores(model, ['退款']);
    expect(cancel).toBeCloseTo(track!);
    // background(退款) = (2 + 1) / (3 + 2): what an intent without Chinese examples gets.
    expect(cancel).toBeCloseTo(Math.log(3 / 9) + Math.log(3 / 5));
    expect(refund).toBeGreaterThan(cancel!);
  });

  it('predicts the intent whose words the message uses, with a probability', () => {
    expect(predict(model, ['cancel', 'order'])).toEqual({ intent: 'cancel_order', confidence: expect.any(Number) });
    expect(predict(model, ['track', 'parcel']).intent).toBe('track_order');
    expect(predict(model, ['退款']).intent).toBe('get_refund');
    expect(predict(model, ['cancel', 'order']).confidence).toBeGreaterThan(0.5);
  });

  it('says nothing for words it never saw: the confidence is the prior', () => {
    expect(predict(model, ['asdf', 'qwerty']).confidence).toBeCloseTo(1 / 3);
  });

  it('turns scores into probabilities that sum to 1, flatter at a higher temperature', () => {
    const sharp = probabilities([0, -2, -4], 1);
    const flat = probabilities([0, -2, -4], 4);
    expect(sharp.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1);
    expect(flat[0]!).toBeLessThan(sharp[0]!);
  });

  it('fits a higher temperature when the model is overconfident on unseen examples', () => {
    // Held-out examples the counts get wrong: an honest model must be less sure.
    const misleading = [
      { tokens: ['cancel', 'track'], label: 'track_order' },
      { tokens: ['order', 'my'], label: 'track_order' },
      { tokens: ['track', 'order'], label: 'cancel_order' },
      { tokens: ['cancel', 'order'], label: 'cancel_order' },
    ];
    const agreeing = toy.filter((example) => !/[^\x00-\x7f]/.test(example.tokens.join('')));
    expect(fitTemperatures(model, misleading).other).toBeGreaterThan(fitTemperatures(model, agreeing).other);
  });
});
