import { sentiment } from '../../../workers/classify/sentiment';

describe('sentiment', () => {
  it('is between -1 and 1, and 0 for a neutral question', () => {
    expect(sentiment('Where is my parcel?')).toBe(0);
    expect(sentiment('我的包裹在哪里？')).toBe(0);
    for (const text of ['awful awful terrible horrible disgusting scam', 'love love love amazing wonderful perfect']) {
      expect(Math.abs(sentiment(text))).toBeLessThanOrEqual(1);
    }
  });

  it('reads English with AFINN', () => {
    expect(sentiment('Thank you, I love it')).toBeGreaterThan(0.5);
    expect(sentiment('This is a terrible, useless service and I am angry')).toBeLessThan(-0.5);
  });

  it('flips English words after a negation, to the end of the clause only', () => {
    expect(sentiment('This is good')).toBeGreaterThan(0);
    expect(sentiment('This is not good')).toBeLessThan(0);
    expect(sentiment("I don't like it")).toBeLessThan(0);
    expect(sentiment('No problem, thanks')).toBeGreaterThan(0);
  });

  it('reads Chinese with its own lexicon', () => {
    expect(sentiment('你们的服务太差了，我很生气')).toBeLessThan(-0.5);
    expect(sentiment('非常满意，谢谢')).toBeGreaterThan(0.5);
  });

  it('flips a Chinese word after a negation, however the segmenter glued them', () => {
    expect(sentiment('我很满意')).toBeGreaterThan(0);
    expect(sentiment('我不满意')).toBeLessThan(0);
    expect(sentiment('不喜欢')).toBeLessThan(0);
    expect(sentiment('服务不好')).toBeLessThan(0);
    expect(sentiment('没有问题，谢谢')).toBeGreaterThan(0);
  });
});
