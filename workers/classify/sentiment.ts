import { afinnScore } from './natural';
import { words } from './tokenize';

// A small Chinese valence lexicon of our own (-3..3), for what customers write to support.
const CHINESE_VALENCE: Record<string, number> = {
  谢谢: 2, 感谢: 2, 多谢: 2, 满意: 2, 好: 1, 很好: 2, 不错: 2, 喜欢: 2, 棒: 3, 优秀: 3, 方便: 1, 及时: 1, 专业: 2,
  开心: 2, 高兴: 2, 表扬: 2, 赞: 2, 完美: 3, 耐心: 2, 热情: 2, 顺利: 1, 快: 1,
  差: -2, 太差: -3, 很差: -3, 糟糕: -3, 生气: -3, 愤怒: -3, 失望: -2, 垃圾: -3, 投诉: -2, 骗: -3, 骗人: -3, 骗子: -3,
  慢: -1, 烂: -3, 不满: -2, 恶心: -3, 恶劣: -3, 过分: -2, 坏: -2, 坏了: -2, 破: -1, 错: -1, 错误: -1, 失败: -2,
  问题: -1, 麻烦: -1, 无语: -2, 离谱: -2, 着急: -1, 烦: -2, 难用: -2, 不礼貌: -2, 欺骗: -3, 退款: -1,
};
// A negator flips the next word with a valence in the same clause ("不/喜欢", "我不/满意"); the
// segmenter also glues it to its neighbours ("不太好", "很不"), so prefixes and endings count too.
const CHINESE_NEGATORS = ['不怎么', '不太', '不是', '并不', '从不', '没有', '不', '没', '别', '未', '无'];
const ENDS_NEGATED = /[不没别]$/;
const CLAUSES = /[.,;:!?，。；：！？、\n]+/;

const APOSTROPHE_NEGATION = /n't$/;

function englishClause(clause: string[]): number {
  // AFINN's negation list knows "not" but not "don't" or "isn't".
  return afinnScore(clause.map((word) => (APOSTROPHE_NEGATION.test(word) ? 'not' : word)));
}

function chineseClause(clause: string[]): number {
  let score = 0;
  let negated = false;
  for (const word of clause) {
    const negator = CHINESE_NEGATORS.find((prefix) => word.startsWith(prefix));
    const rest = negator ? CHINESE_VALENCE[word.slice(negator.length)] : undefined;
    const valence = CHINESE_VALENCE[word] ?? (rest === undefined ? undefined : -rest);
    if (valence !== undefined) {
      score += negated ? -valence : valence;
      negated = false;
    } else if (negator === word || ENDS_NEGATED.test(word)) {
      negated = true;
    }
  }
  return score;
}

/**
 * The message's tone from -1 (angry) to 1 (delighted), 0 when neutral: valences summed clause by
 * clause (AFINN for English, our lexicon for Chinese; a negation reaches to the end of its clause),
 * squashed so that one strong word gives about ±0.6 and several approach ±1.
 */
export function sentiment(text: string): number {
  let total = 0;
  for (const clause of text.split(CLAUSES)) {
    const found = words(clause);
    total += englishClause(found.filter((word) => !word.cjk).map((word) => word.text));
    total += chineseClause(found.filter((word) => word.cjk).map((word) => word.text));
  }
  return Math.round(Math.tanh(total / 4) * 1000) / 1000;
}
