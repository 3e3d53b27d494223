/**
 * Stemming and plural folding: how far a word is cut back before it is compared. One name per
 * rule; README.md says which stage uses which, and the measured reason it differs.
 */

/**
 * Folds an English plural (lower-cased, possessive removed) to the form its singular also folds
 * to: platforms → platform, policies → policy, children → child. Symmetric and crude ("news" and
 * "new" collide), which is harmless for topic queries. Used by the topic matcher, on query and
 * document alike.
 */
export function foldPlural(word: string): string {
  const irregular = IRREGULAR_PLURALS.get(word);
  if (irregular) return irregular;
  if (word.length < 3 || /\d/.test(word) || !word.endsWith('s')) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(?:sses|ches|shes|xes|zzes)$/.test(word)) return word.slice(0, -2);
  if (/(?:ss|us|is)$/.test(word)) return word;
  return word.slice(0, -1);
}

/**
 * A light suffix stripper for headlines (a small subset of Porter's step 1 plus a few endings):
 * enough to equate "charges/charged/charging", "policies/policy", "sentenced/sentence". A full
 * stemmer buys little on headlines and conflates more. Used by story matching.
 */
export function stemHeadline(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') || w.endsWith('ied')) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  let stripped = false;
  if (w.length > 5 && w.endsWith('ing')) {
    w = w.slice(0, -3);
    stripped = true;
  } else if (w.length > 4 && w.endsWith('ed')) {
    w = w.slice(0, -2);
    stripped = true;
  }
  // Undouble after a removed ending ("stopped" -> "stop"), but keep "kill", "pass", "buzz".
  if (stripped && w.length > 2 && w.at(-1) === w.at(-2) && !'lsz'.includes(w.at(-1)!)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('y')) w = `${w.slice(0, -1)}i`;
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/**
 * A deliberately small suffix stripper for article sentences: plurals, verb forms and a few
 * derivational endings ("-ational", "-ization", "-ments"), never aggressive. Used by the
 * summarizer's sentence ranking.
 */
export function stemSentenceWord(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  for (const [suffix, min, repl] of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= min) return word.slice(0, -suffix.length) + repl;
  }
  return word;
}

const IRREGULAR_PLURALS = new Map([
  ['children', 'child'],
  ['women', 'woman'],
  ['men', 'man'],
]);

// Longest first; [suffix, minimum stem length left, replacement].
const SUFFIXES: Array<[string, number, string]> = [
  ['ational', 3, 'ate'],
  ['ization', 3, 'ize'],
  ['fulness', 3, 'ful'],
  ['ousness', 3, 'ous'],
  ['iveness', 3, 'ive'],
  ['ments', 4, 'ment'],
  ['ings', 3, ''],
  ['ing', 3, ''],
  ['ies', 2, 'y'],
  ['ied', 2, 'y'],
  ['sses', 2, 'ss'],
  ['edly', 3, ''],
  ['ed', 3, ''],
  ['ly', 4, ''],
  ['es', 4, 'e'],
  ['s', 3, ''],
];
