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
 * English function words plus headline filler ("says", "report", "update", "watch") that appear
 * in headlines about anything: for telling which event a headline reports. Numbers are not stop
 * words: scores, ages, counts and sums pin an event. "us" is not one either: it is "U.S." folded.
 */
export const HEADLINE_STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all also am an and any are as at be because been before being below
  between both but by can could did do does doing down during each few for from further had has have having he
  her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
  now of off on once only or other our ours out over own same she should so some such than that the their theirs
  them themselves then there these they this those through to too under until up very was we were what when
  where which while who whom why will with would you your yours yourself
  says said say saying told tells tell report reports reported according update updates updated latest live
  watch video photos photo new news breaking exclusive opinion analysis here heres whats how why via amid
  week today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
  mr mrs ms dr st
  one two three first last year years day days time get gets got make makes made may might must will would
  just still back take takes going`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);
