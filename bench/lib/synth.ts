/**
 * Synthetic news text for the benchmarks, written here and generated from a seed, so every run
 * (and every machine) sees the same items. Some items are on the beat (they name its laws and
 * bodies), most are not; several outlets tell the same event in different words, so clustering
 * has real work to do.
 */

/** mulberry32: small, fast and the same everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)]!;
}

const SUBJECTS = `council minister court regulator company union mayor governor committee agency startup hospital
  school university airline bank retailer court judge senator ministry police museum charity orchestra club league
  festival port railway utility insurer developer researcher court tribunal parliament commission`.split(/\s+/);
const VERBS = `approves rejects delays announces expands cuts investigates defends unveils postpones settles
  challenges opens closes reviews funds blocks signs backs questions suspends restores doubles halves`.split(/\s+/);
const OBJECTS = `budget plan merger strike contract hearing appeal policy scheme project report rules deal
  programme tariff subsidy lawsuit inquiry audit forecast reform license permit ban pilot fund network`.split(/\s+/);
const PLACES = `Leeds Lyon Porto Austin Denver Osaka Turin Gdansk Utrecht Cork Perth Tampa Malmo Graz Nantes Bilbao
  Dayton Boise Aarhus Split Bergen Ghent Basel Krakow Seville Reno Tulsa Fresno Lagos Accra`.split(/\s+/);
const FILLER = `the officials said on that would include several new measures after months of talks while critics
  argued about costs and timing for residents who were expected to see changes next year as part of a wider
  effort by local leaders in response to questions from reporters during a briefing earlier this week with
  analysts noting the figures remain uncertain although supporters welcomed the decision and opponents vowed to
  keep pressing for more details about funding staffing oversight and the long term impact on services`.split(/\s+/);

/** On-beat phrasing: each names a law, body or case class one of the default topics looks for. */
const BEAT = [
  'Section 230 of the Communications Decency Act',
  'the Kids Online Safety Act',
  'the EU Digital Services Act',
  "Ofcom's enforcement of the Online Safety Act",
  'FOSTA-SESTA and online sex trafficking',
  'a human trafficking prosecution under the Trafficking Victims Protection Act',
  'platform liability for user content',
  'age verification rules for online platforms',
];

export interface Article {
  title: string;
  body: string;
  /** The event this item tells; items sharing it are the same story. */
  event: number;
}

/** One event's headline and lead, the same for every outlet that tells it (give or take a word). */
export function eventText(event: number, beat: boolean): { title: string; lead: string } {
  const r = rng(event * 7919 + 13);
  const place = pick(r, PLACES);
  const subject = pick(r, SUBJECTS);
  const verb = pick(r, VERBS);
  const object = pick(r, OBJECTS);
  const topic = beat ? ` over ${pick(r, BEAT)}` : '';
  const n = Math.floor(r() * 900) + 100;
  return {
    title: `${place} ${subject} ${verb} ${object}${topic}`,
    lead: `The ${subject} in ${place} ${verb} the ${object}${topic}, a move affecting ${n} ${pick(r, OBJECTS)}s.`,
  };
}

/** An article about `event`, with `paragraphs` paragraphs of filler after the lead. */
export function article(random: () => number, p: { event: number; beat: boolean; paragraphs: number }): Article {
  const { title, lead } = eventText(p.event, p.beat);
  const paras = [lead];
  for (let i = 0; i < p.paragraphs; i++) {
    const sentences: string[] = [];
    for (let s = 0; s < 4; s++) sentences.push(sentence(random, p.beat && random() < 0.15));
    paras.push(sentences.join(' '));
  }
  // Outlets word headlines a little differently.
  const tail = random() < 0.3 ? `, ${pick(random, ['report says', 'sources say', 'officials confirm'])}` : '';
  return { title: `${title}${tail}`, body: paras.join('\n\n'), event: p.event };
}

function sentence(random: () => number, beat: boolean): string {
  const words: string[] = [];
  const n = 12 + Math.floor(random() * 14);
  for (let i = 0; i < n; i++) words.push(pick(random, FILLER));
  if (beat) words.splice(Math.floor(n / 2), 0, 'under', pick(random, BEAT));
  const s = words.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

/** One RSS <item>: an event from a small pool, so outlets overlap; about one in eight on the beat. */
export function synthItem(random: () => number, p: { id: string; paragraphs: number; at?: number }): string {
  const event = Math.floor(random() * 400);
  const a = article(random, { event, beat: event % 8 === 0, paragraphs: p.paragraphs });
  const at = new Date(p.at ?? Date.UTC(2026, 2, 3, 10, 0, 0)).toUTCString();
  return (
    `<item><title>${escapeXml(a.title)}</title><link>https://news.example.org/${p.id}</link>` +
    `<guid isPermaLink="false">${p.id}</guid><pubDate>${at}</pubDate>` +
    `<description>${escapeXml(
      a.body
        .split('\n\n')
        .map((x) => `<p>${x}</p>`)
        .join(''),
    )}</description></item>`
  );
}

export function feedXml(title: string, items: string[]): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${escapeXml(title)}</title>` +
    `<link>https://news.example.org/</link><description>synthetic</description>${items.join('')}</channel></rss>`
  );
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
