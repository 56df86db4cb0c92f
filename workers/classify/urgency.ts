const URGENT_WORDS =
  /\b(urgent|urgently|asap|a\.s\.a\.p|immediately|right now|right away|at once|emergency)\b|紧急|加急|急用|马上|立刻|立即|尽快|赶紧|赶快|十万火急/i;
const REPEATED_EXCLAMATION = /[!！]{3,}/;

// Shouting: at least three words of two or more capitals, making up most of the Latin words.
function isShouting(text: string): boolean {
  const latinWords = text.match(/\p{Script=Latin}{2,}/gu) ?? [];
  const capitals = latinWords.filter((word) => word === word.toUpperCase() && word !== word.toLowerCase());
  return capitals.length >= 3 && capitals.length * 2 > latinWords.length;
}

/** Whether the customer says it is urgent: urgency words (English or Chinese), "!!!", or ALL CAPS. */
export function isUrgent(text: string): boolean {
  return URGENT_WORDS.test(text) || REPEATED_EXCLAMATION.test(text) || isShouting(text);
}
