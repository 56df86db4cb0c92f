import { chineseGlossary } from './glossary';
import { tokenize } from './tokenize';

/** Words that appear in every intent's examples alike: they add noise, not evidence. */
const STOP_WORDS = new Set(
  ['i', 'me', 'my', 'we', 'our', 'you', 'your', 'it', 'its', 'is', 'are', 'was', 'be', 'am', 'do', 'doe', 'did', 'a', 'an', 'the',
    'to', 'of', 'for', 'in', 'on', 'at', 'and', 'or', 'but', 'thi', 'that', 'with', 'have', 'ha', 'had', 'can', 'could', 'would',
    'will', 'should', 'want', 'need', 'like', 'pleas', 'help', 'hi', 'hello', 'thank', 'thanks', 's', 't',
    '我', '我的', '你', '你们', '的', '了', '吗', '呢', '吧', '啊', '请', '请问', '帮', '帮我', '想', '我想', '要', '我要', '能', '一下', '麻烦'],
);
const HAN = /\p{Script=Han}/u;

/**
 * What the classifier counts for a message: its tokens less stop words, pairs of neighbouring
 * tokens (so "cancel order" differs from "cancel account"), the single characters of Chinese
 * words (the segmenter's dictionary misses many support terms), and the English words of the
 * Chinese terms it contains.
 */
export function features(text: string): string[] {
  const tokens = tokenize(text).filter((token) => !STOP_WORDS.has(token));
  const found = [...tokens];
  for (let i = 1; i < tokens.length; i++) found.push(`${tokens[i - 1]} ${tokens[i]}`);
  for (const token of tokens) if (HAN.test(token) && token.length > 1) found.push(...token);
  if (HAN.test(text)) {
    for (const [term, english] of Object.entries(chineseGlossary)) if (text.includes(term)) found.push(...tokenize(english));
  }
  return found;
}
