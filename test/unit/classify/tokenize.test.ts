import { tokenize, words } from '../../../workers/classify/tokenize';

describe('tokenize', () => {
  it('segments Chinese into words with Intl.Segmenter', () => {
    expect(tokenize('我的发票金额不对')).toEqual(['我的', '发票', '金额', '不对']);
  });

  it('segments the Chinese inside a mixed message and stems the English around it', () => {
    expect(tokenize('我的orders还没到')).toEqual(['我的', 'order', '还', '没', '到']);
  });

  it('lower-cases and Porter-stems English words', () => {
    expect(tokenize('Cancelling my Orders, PLEASE')).toEqual(['cancel', 'my', 'order', 'pleas']);
  });

  it('drops numbers, punctuation and symbols', () => {
    expect(tokenize('Order #12345 -- where is it?!')).toEqual(['order', 'where', 'is', 'it']);
    expect(tokenize('订单 30045，到哪了？')).toEqual(['订单', '到', '哪', '了']);
  });

  it('keeps contractions whole (without the apostrophe) so "don\'t" is one token', () => {
    expect(tokenize("I don’t know")).toEqual(['i', 'dont', 'know']);
    expect(words("I don't know").map((word) => word.text)).toEqual(['i', "don't", 'know']);
  });

  it('marks the words that came from Han, Kana or Hangul runs', () => {
    expect(words('パスワード reset')).toEqual([
      { text: 'パスワード', cjk: true },
      { text: 'reset', cjk: false },
    ]);
  });
});
