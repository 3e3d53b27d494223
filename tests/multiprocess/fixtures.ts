import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rss, writeBeatConfig } from '../helpers/beat-config.js';
import type { FeedServer } from '../helpers/feed-server.js';

/**
 * Feeds for the tests where several real processes write to one SQLite file: each feed carries
 * distinct on-beat stories (every one matches a default topic), so that every stored item must
 * end with a topic, a summary and a story, and none clusters with another.
 */
const SUBJECTS = [
  ['Section 230', 'a platform’s recommendation engine'],
  ['the Kids Online Safety Act', 'age verification for social apps'],
  ['the Digital Services Act', 'a marketplace’s illegal listings'],
  ['the Online Safety Act', 'Ofcom’s duty of care codes'],
  ['FOSTA-SESTA', 'a classified-ads site’s moderation'],
  ['the TVPA', 'a trafficking prosecution of a website operator'],
] as const;

const PLACES = ['Ohio', 'Texas', 'Oregon', 'Maine', 'Nevada', 'Utah', 'Iowa', 'Idaho', 'Vermont', 'Kansas'];
const ACTORS = ['judge', 'senator', 'regulator', 'prosecutor', 'commissioner', 'coalition', 'court', 'agency'];

export interface StoryFixture {
  guid: string;
  title: string;
  link: string;
  date: string;
  text: string;
}

/** `count` stories for feed `feed`, numbered from `from`; titles never repeat across feeds or rounds. */
export function beatStories(feed: number, from: number, count: number): StoryFixture[] {
  return Array.from({ length: count }, (_, k) => {
    const n = from + k;
    const [law, subject] = SUBJECTS[(feed + n) % SUBJECTS.length]!;
    const place = PLACES[n % PLACES.length]!;
    const actor = ACTORS[(n * 7 + feed) % ACTORS.length]!;
    const title = `${place} ${actor} weighs ${law} in case ${feed}-${n} about ${subject}`;
    return {
      guid: `f${feed}-n${n}`,
      title,
      link: `https://outlet${feed}.example/news/${n}`,
      date: new Date(Date.now() - (n % 50) * 60_000).toISOString(),
      text:
        `In case ${feed}-${n}, a ${actor} in ${place} set out how ${law} applies to ${subject}. ` +
        `Filing ${feed * 1000 + n} lists the parties and the relief they seek. ` +
        `Observers expect a ruling on docket ${n * 13 + feed} within weeks.`,
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
    extra: p.extra ?? {},
  });
  return { dir, config, db: path.join(dir, 'watchdesk.db') };
}
