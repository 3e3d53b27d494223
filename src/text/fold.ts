/**
 * Folding: the forms under which two spellings of a word count as one. Each tokenizer in
 * words.ts folds with one of these; see README.md for which stage uses which, and why.
 */

/**
 * Lower case, diacritics dropped (any combining mark after NFKD), apostrophes unified to '. The
 * topic matcher's folding: apostrophes stay inside words ("don't", "o'brien") for phrase matching.
 */
export function foldForMatching(text: string): string {
  // Most feed text is ASCII; Unicode normalization is the costliest step, so skip it there.
  if (ASCII.test(text)) return text.toLowerCase().replace(/`/g, "'");
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'");
}

/**
 * Hard folding for telling which event a headline reports: different outlets word one event
 * differently, so beyond case and diacritics it drops possessives and apostrophes, joins "U.S."
 * into one word and keeps thousands separators and decimals inside one number.
 */
export function foldForEvents(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      // Polish ł does not decompose; fold it so that headlines with and without diacritics agree.
      .replace(/ł/g, 'l')
      // "U.S." and "U.K." are words, not two letters each.
      .replace(/\b([a-z])\.([a-z])\.(?![a-z])/g, '$1$2')
      // Possessives and contractions: "Biden's" -> "biden", "don't" -> "dont".
      .replace(/['’]s\b/g, '')
      .replace(/['’]/g, '')
      // Thousands separators and decimals stay inside one number token.
      .replace(/(\d)[,.](?=\d)/g, '$1')
  );
}

const ASCII = /^[\x00-\x7f]*$/;
