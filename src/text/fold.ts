/**
 * Folding: the forms under which two spellings of a word count as one. Each tokenizer in
 * words.ts folds with one of these; see README.md for which stage uses which, and why.
 */

/**
 * foldDiacritics, with apostrophes unified to '. The topic matcher's folding: apostrophes stay
 * inside words ("don't", "o'brien") for phrase matching.
 */
export function foldForMatching(text: string): string {
  // Most feed text is ASCII; Unicode normalization is the costliest step, so skip it there.
  if (ASCII.test(text)) return text.toLowerCase().replace(/`/g, "'");
  return foldDiacritics(text).replace(/[\u2018\u2019\u02bc`]/g, "'");
}

/**
 * Hard folding for telling which event a headline reports: different outlets word one event
 * differently, so beyond foldDiacritics it drops possessives and apostrophes, joins "U.S."
 * into one word and keeps thousands separators and decimals inside one number.
 */
export function foldForEvents(text: string): string {
  return (
    foldDiacritics(text)
      // "U.S." and "U.K." are words, not two letters each.
      .replace(/\b([a-z])\.([a-z])\.(?![a-z])/g, '$1$2')
      // Possessives and contractions: "Biden's" -> "biden", "don't" -> "dont".
      .replace(/['’]s\b/g, '')
      .replace(/['’]/g, '')
      // Thousands separators and decimals stay inside one number token.
      .replace(/(\d)[,.](?=\d)/g, '$1')
  );
}

/**
 * Lower case without diacritics: NFKD, every combining mark dropped, and ł (which does not
 * decompose) as l, so that text with and without diacritics agrees.
 */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ł/g, 'l');
}

const ASCII = /^[\x00-\x7f]*$/;
