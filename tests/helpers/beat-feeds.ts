import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { openDb } from '../../src/store/db.js';
import { syncFeedsFromConfig } from '../../src/store/feeds.js';
import { sqlOf } from '../../src/store/sql.js';
import { rss, writeBeatConfig } from './beat-config.js';
import type { FeedServer } from './feed-server.js';

/**
 * Feeds for the tests where several real processes write to one SQLite file. Every story is on
 * the beat (each matches a default topic) and tells its own event: a made-up name and its own
 * wording, so no two of them cluster into one story, across feeds or rounds.
 */
const LAWS = [
  'Section 230',
  'the Kids Online Safety Act',
  'the Digital Services Act',
  'the Online Safety Act',
  'FOSTA-SESTA',
  'the Trafficking Victims Protection Act',
] as const;

const ONSETS = ['br', 'k', 'v', 'th', 'm', 'gr', 'l', 'st', 'p', 'z', 'h', 'dr', 'n'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou'];
const CODAS = ['n', 'rk', 'lt', 'sh', 'x', 'mb', 'rd'];

/** A made-up three-syllable word from a seeded generator (mulberry32): distinct seeds, distinct words. */
function word(seed: number): string {
  let t = seed + 0x6d2b79f5;
  const next = () => {
    t = (t + 0x6d2b79f5) | 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const w = `${pick(ONSETS)}${pick(VOWELS)}${pick(ONSETS)}${pick(VOWELS)}${pick(ONSETS)}${pick(VOWELS)}${pick(CODAS)}`;
  return w[0]!.toUpperCase() + w.slice(1);
}

/** `count` made-up words for this story, each a different seed. */
const words = (id: number, count: number) => Array.from({ length: count }, (_, i) => word(id * 64 + i));

export interface StoryFixture {
  guid: string;
  /** Unique to the story and in its title, so a test can find it in a rendered digest. */
  label: string;
  title: string;
  link: string;
  date: string;
  text: string;
}

/** `count` stories for feed `feed`, numbered from `from`. */
export function beatStories(feed: number, from: number, count: number): StoryFixture[] {
  return Array.from({ length: count }, (_, k) => {
    const n = from + k;
    const w = words(feed * 1_000 + n, 20);
    const law = LAWS[(feed + n) % LAWS.length]!;
    const label = `(docket F${feed}N${n})`;
    return {
      guid: `f${feed}-n${n}`,
      label,
      // Enough made-up words that what every story shares (the law's name, "docket", the verbs)
      // stays well under the clustering threshold.
      title: `${w[0]} ${w[1]} and ${w[2]} take ${law} to ${w[3]} ${w[14]} over ${w[4]} ${w[15]} ${w[16]} ${label}`,
      link: `https://outlet${feed}.example/news/${n}`,
      date: new Date(Date.now() - (n % 50) * 60_000).toISOString(),
      text:
        `${w[5]} ${w[6]} ${w[17]} says the case reaches ${w[7]} and ${w[8]} ${w[18]}. ` +
        `${w[9]} filed with ${w[10]} ${w[11]} ${w[19]}. ${w[12]} answers ${w[13]}.`,
    };
  });
}

/** Serves `feeds` feeds at /<prefix>/<i>.xml, each with `perFeed` stories numbered from `from`. */
export function serveFeeds(
  server: FeedServer,
  p: { prefix: string; feeds: number; perFeed: number; from: number },
): void {
  for (let f = 0; f < p.feeds; f++) {
    server.route(`/${p.prefix}/${f}.xml`, {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss(`Outlet ${f}`, beatStories(f, p.from, p.perFeed)),
    });
  }
}

/** A temp folder with a beat config watching those feeds; `extra` is merged into the config. */
export function multiProcessConfig(
  server: FeedServer,
  p: { prefix: string; feeds: number; extra?: Record<string, unknown> },
): { dir: string; config: string; db: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-mp-'));
  const config = writeBeatConfig(dir, {
    feeds: Array.from({ length: p.feeds }, (_, f) => ({
      name: `Outlet ${f}`,
      url: server.url(`/${p.prefix}/${f}.xml`),
    })),
    // Port 0: each bot's HTTP server takes a free port, so bots in parallel tests never collide.
    extra: { http: { port: 0 }, ...p.extra },
  });
  return { dir, config, db: path.join(dir, 'watchdesk.db') };
}

/**
 * Puts the config's feeds in the store as an earlier poll would leave them: past their first poll
 * (whose items are stored without being announced) and not due for an hour.
 */
export async function pastFirstPoll(dbFile: string, config: string): Promise<void> {
  const db = openDb(dbFile);
  try {
    const { feeds, polling } = loadConfig({ file: config });
    const now = Date.now();
    await syncFeedsFromConfig(sqlOf(db), feeds, { intervalMs: polling.defaultInterval }, now);
    db.prepare('UPDATE feeds SET polls = 1, last_success_at = ?, next_poll_at = ?').run(now, now + 3_600_000);
  } finally {
    db.close();
  }
}
