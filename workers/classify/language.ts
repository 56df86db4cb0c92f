/** Languages told apart; `und` (undetermined) when the text gives too little to go on. */
export type Language = 'zh' | 'ja' | 'ko' | 'ru' | 'ar' | 'en' | 'es' | 'fr' | 'de' | 'und';

// Frequent words of each Latin-script language, and a few support words customers use in it.
const LATIN_WORDS: Record<'en' | 'es' | 'fr' | 'de', Set<string>> = {
  en: new Set(
    ('the and to of a i my is it in you that for was not with have this be on are me can do how what where when ' +
      'want need please order refund account help would could an am get your from why did does there hello hi thanks') .split(' '),
  ),
  es: new Set(
    ('el la los las de que y en un una mi es no por con para del al lo se me quiero pedido cómo donde dónde ' +
      'cuando por favor gracias mis su está hola ayuda necesito cuenta reembolso').split(' '),
  ),
  fr: new Set(
    ('le la les de des du et un une est je mon ma mes pas pour que qui dans avec sur vous ce il commande ' +
      'comment où quand merci bonjour aide besoin compte remboursement veux').split(' '),
  ),
  de: new Set(
    ('der die das und ist ich nicht ein eine mein meine zu mit den von für auf sie wie wo wann bitte danke ' +
      'hallo bestellung konto hilfe brauche möchte rückerstattung ist es').split(' '),
  ),
};

// Letters that only some of the Latin-script languages use.
const LATIN_MARKS: [RegExp, 'es' | 'fr' | 'de'][] = [
  [/[ñ¿¡]/, 'es'],
  [/[ßäöü]/, 'de'],
  [/[çœèêëàâîïûù]/, 'fr'],
];

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/** The language of a message, from its script and, for Latin script, its common words. */
export function detectLanguage(text: string): Language {
  const lower = text.toLowerCase();
  const kana = count(lower, /[\p{Script=Hiragana}\p{Script=Katakana}]/gu);
  const han = count(lower, /\p{Script=Han}/gu);
  const hangul = count(lower, /\p{Script=Hangul}/gu);
  const cyrillic = count(lower, /\p{Script=Cyrillic}/gu);
  const arabic = count(lower, /\p{Script=Arabic}/gu);
  const latin = count(lower, /\p{Script=Latin}/gu);
  // One CJK character says about as much as a short Latin word.
  const scripts: [Language, number][] = [
    ['ja', kana ? (kana + han) * 3 : 0],
    ['ko', hangul * 3],
    ['zh', kana ? 0 : han * 3],
    ['ru', cyrillic],
    ['ar', arabic],
    ['en', latin],
  ];
  const [script, weight] = scripts.sort((a, b) => b[1] - a[1])[0]!;
  if (weight < 2) return 'und';
  return script === 'en' ? latinLanguage(lower) : script;
}

function latinLanguage(lower: string): Language {
  const tokens = lower.match(/\p{L}+/gu) ?? [];
  const scores = Object.entries(LATIN_WORDS).map(([language, words]) => {
    const marks = LATIN_MARKS.filter(([pattern, marked]) => marked === language && pattern.test(lower)).length;
    return { language: language as Language, score: tokens.filter((token) => words.has(token)).length + 2 * marks };
  });
  scores.sort((a, b) => b.score - a.score);
  const [first, second] = scores;
  return first!.score > 0 && first!.score > second!.score ? first!.language : 'und';
}
