/**
 * Long synthetic article text in our own words, for tests of what a huge feed item or page does
 * to the bot. Deterministic: the same size gives the same text.
 */
const WORDS = (
  'the court ruled that the platform must answer for listings it promoted while regulators weighed new ' +
  'duties for online marketplaces and senators asked how children are kept safe from trafficking ads'
).split(' ');

/** Paragraphs of plain sentences, about `chars` characters in all, separated by blank lines. */
export function longArticle(chars: number): string[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const sentence = () => {
    const words = Array.from({ length: 8 + Math.floor(next() * 16) }, () => WORDS[Math.floor(next() * WORDS.length)]!);
    const text = words.join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };
  const paragraphs: string[] = [];
  let size = 0;
  while (size < chars) {
    const p = Array.from({ length: 5 }, sentence).join(' ');
    paragraphs.push(p);
    size += p.length + 2;
  }
  return paragraphs;
}
