/**
 * Text normalization for story matching. Different outlets word one event differently
 * ("Kissinger dies at 100" / "Henry Kissinger, former secretary of state, has died aged 100"),
 * so tokens are folded hard: case, diacritics, punctuation, possessives, plurals and common
 * verb endings, thousands separators. Stop words and headline filler are dropped because they
 * carry no information about which event an item describes.
 */

/** Content tokens of a text: lower-cased, folded, stop words removed, lightly stemmed. */
export function contentTokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of rawWords(text)) {
    if (STOP_WORDS.has(raw)) continue;
    const t = /^\d/.test(raw) ? raw : stem(raw);
    if (t.length === 0 || STOP_WORDS.has(t)) continue;
    // One-letter leftovers ("s" from "U.S." is kept as "us" earlier) say nothing.
    if (t.length === 1 && !/\d/.test(t)) continue;
    out.push(t);
  }
  return out;
}

/**
 * The lead: the first sentence or two of an item's content, at most about 300 characters. The
 * opening of a news text states the event; later sentences drift into background that would
 * make unrelated stories look alike.
 */
export function storyLead(content: string, maxChars = 300): string {
  // Only the opening is ever kept: normalizing a multi-megabyte item whole would cost seconds.
  const text = content
    .slice(0, maxChars * 8)
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= maxChars) return text;
  let end = 0;
  const re = /[.!?]["')\]]?\s+(?=["'([]?[A-Z0-9])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const cut = m.index + m[0].trimEnd().length;
    if (cut > maxChars) break;
    end = cut;
  }
  if (end >= 40) return text.slice(0, end);
  // No sentence end in reach: cut at a word boundary instead.
  const slice = text.slice(0, maxChars);
  const space = slice.lastIndexOf(' ');
  return space > maxChars / 2 ? slice.slice(0, space) : slice;
}

/** Words of a text before stop-word removal: NFKD-folded, lower-case, letters and digits only. */
export function rawWords(text: string): string[] {
  const folded = text
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
    .replace(/(\d)[,.](?=\d)/g, '$1');
  return folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/**
 * A light suffix stripper (a small subset of Porter's step 1 plus a few endings): enough to
 * equate "charges/charged/charging", "policies/policy", "sentenced/sentence". A full stemmer
 * buys little on headlines and conflates more.
 */
export function stem(word: string): string {
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
 * English function words plus headline filler ("says", "report", "update", "watch") that appear
 * in headlines about anything. Numbers are kept: scores, ages, counts and sums pin an event.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
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
