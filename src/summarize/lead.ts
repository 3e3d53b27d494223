/**
 * What an opening sentence must be to count as the news lead, for the lead rule of the extractive
 * summarizer: a report, not commentary, a question, a quotation or a hypothetical hook; and in a
 * short text, one that states an event. Plain patterns over English news prose, cheap enough to
 * run on every sentence of every item.
 */

/**
 * A sentence that reports: not commentary ("raises questions…"), not a question ("Is the web
 * safe for children?"), not a quotation that opens the piece ("'Do you have it in your heart?'"),
 * not a hypothetical scene ("If broadband were a jet…", "Imagine a feed…").
 */
export function readsAsReport(sentence: string): boolean {
  return !isCommentary(sentence) && !sentence.includes('?') && !OPENS_WITH_QUOTE.test(sentence) && !HOOK.test(sentence);
}

/**
 * A sentence that reports an event: who (a name), what (an action: a past-tense verb or a word of
 * the courts and markets) and how much (a number or amount), and no commentary. "Carl Ferrer was
 * sentenced to five years" does; "the case highlights the need for rules" does not.
 */
export function statesEvent(sentence: string): boolean {
  return QUANTITY.test(sentence) && NAME.test(sentence) && ACTION.test(sentence) && !isCommentary(sentence);
}

/** Opinion and framing rather than report; written as phrases so that news verbs stay out. */
export function isCommentary(sentence: string): boolean {
  return COMMENTARY.test(sentence);
}

const QUANTITY =
  /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozen|percent)\b/i;
/** A capitalised word after the first one (a person, place or organisation). */
const NAME = /\s(?!I\b)\p{Lu}[\p{L}'’-]+/u;
const ACTION =
  /\b(?:\p{Ll}{3,}ed|sentenc\p{L}*|convict\p{L}*|charg(?:es|ing)|fine[ds]?|indict\p{L}*|arrest\p{L}*|rul(?:es|ing)|vot(?:es|ing)|pass(?:es)?|signs?|ban(?:s|ned)?|su(?:es|ing)|settl\p{L}*|won|lost|paid|sold|bought|said|says|told)\b/u;
const OPENS_WITH_QUOTE = /^["“”'‘«„]/;
const HOOK = /^(?:if|imagine|picture this|suppose)\b/i;
const COMMENTARY =
  /\b(?:raises? (?:questions|concerns)|highlights?|underscores?|serves? as (?:a|an)|cautionary tale|sends? an? (?:strong |clear )?message|it is (?:crucial|important|essential|vital|imperative)|(?:urgent|pressing) need|moving forward|going forward|remains to be seen|only time will tell)\b/i;
