import { porterStem } from './natural';

/** A word as written (lower-cased); `cjk` when it came from a Han, Kana or Hangul run. */
export type Word = { text: string; cjk: boolean };

// Scripts written without spaces between words: Intl.Segmenter finds the words there.
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]+/gu;
const LETTER_WORD = /\p{L}[\p{L}\p{M}]*(?:['’]\p{L}+)*/gu;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

function spacedWords(text: string, into: Word[]): void {
  for (const match of text.matchAll(LETTER_WORD)) into.push({ text: match[0].replace(/’/g, "'"), cjk: false });
}

/** The message's words in order, lower-cased; numbers, punctuation and symbols are dropped. */
export function words(text: string): Word[] {
  const lower = text.toLowerCase();
  const found: Word[] = [];
  let last = 0;
  for (const run of lower.matchAll(CJK_RUN)) {
    spacedWords(lower.slice(last, run.index), found);
    for (const segment of segmenter.segment(run[0])) {
      if (segment.isWordLike) found.push({ text: segment.segment, cjk: true });
    }
    last = run.index + run[0].length;
  }
  spacedWords(lower.slice(last), found);
  return found;
}

/** The classifier's tokens: CJK words as segmented, other words Porter-stemmed without apostrophes. */
export function tokenize(text: string): string[] {
  return words(text).map((word) => (word.cjk ? word.text : porterStem(word.text.replace(/'/g, ''))));
}
