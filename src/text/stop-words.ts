/**
 * Stop words: the words a tokenizer drops because they say nothing about what a text is about.
 * Two lists, because two stages ask different questions (README.md has the measured reason).
 */

/**
 * Function words only: articles, pronouns, auxiliaries, prepositions, conjunctions. For ranking
 * an article's sentences: content-ish words that news uses constantly ("said", "year") stay,
 * because they do carry similarity between sentences.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  [
    'a an the this that these those',
    'i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself',
    'she her hers herself it its itself they them their theirs themselves',
    'what which who whom whose',
    'am is are was were be been being have has had having do does did doing',
    'can could will would shall should may might must',
    'and but or nor if because as until while so than too very then once also just only not no',
    'of at by for with about against between into through during before after above below to from',
    'up down in out on off over under again further here there when where why how',
    'all any both each few more most other some such own same',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Words that appear in headlines about anything ("says", "report", "update", "watch", weekdays,
 * "first", "year"): they say nothing about which event a headline reports.
 */
export const HEADLINE_FILLER: readonly string[] = `now says said say saying told tells tell report reports reported
  according update updates updated latest live watch video photos photo new news breaking exclusive opinion
  analysis heres whats via amid week today yesterday tomorrow monday tuesday wednesday thursday friday saturday
  sunday mon tue wed thu fri sat sun mr mrs ms dr st one two three first last year years day days time get gets
  got make makes made still back take takes going`
  .split(/\s+/)
  .filter((w) => w.length > 0);

/**
 * For telling which event a headline reports: the function words, except "us" ("U.S." folded),
 * plus the headline filler. Numbers are not stop words: scores, ages, counts and sums pin an event.
 */
export const HEADLINE_STOP_WORDS: ReadonlySet<string> = new Set([
  ...[...FUNCTION_WORDS].filter((w) => w !== 'us'),
  ...HEADLINE_FILLER,
]);
