/**
 * A large store for the command and composition benchmarks, generated from a seed and cached under
 * bench/.cache/ (never committed): `items` items from 1,000 feeds, written as ingest leaves them
 * (stories with their representative and announce order, topic rows with explanations, summaries,
 * the FTS index), over `days` days ending at END. About one story in ten is on the beat. Rows are
 * written with plain INSERTs rather than through ingest: a million items through enrichment would
 * take hours, and what is measured here is reading them. A cache file is valid for one generator
 * version; migrations added later apply to it when it is opened, as to any store. It is written under a
 * temporary name and renamed when complete (a million items take 3 to 15 minutes, with the machine's load).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src/store/db.js';
import { say } from './measure.js';
import { CACHE_DIR } from './profile.js';
import { eventText, pick, rng } from './synth.js';

const GENERATOR_VERSION = 1;
export const END = Date.UTC(2026, 2, 1);
export const DAY = 86_400_000;
export const FEEDS = 1_000;
/** In about one item in 40,000: a search for it finds a handful of stories. */
export const RARE_TERM = 'quillmoor';
/** In most items' filler text. */
export const COMMON_TERMS = ['officials', 'residents', 'funding'];

const TOPICS: { id: string; term: string }[] = [
  { id: 'trafficking-law', term: 'FOSTA' },
  { id: 'platform-liability', term: 'Section 230' },
  { id: 'child-safety', term: 'Kids Online Safety Act' },
  { id: 'eu-dsa', term: 'Digital Services Act' },
  { id: 'uk-osa', term: 'Online Safety Act' },
  { id: 'enforcement-courts', term: 'indictment' },
];

const FILLER = `officials said the plan would include new measures after months of talks while critics argued
  about costs and timing for residents who expect changes next year as part of a wider effort by local leaders
  in response to questions during a briefing with analysts noting funding figures remain uncertain although
  supporters welcomed the decision and opponents vowed to press for details on staffing and oversight`.split(/\s+/);

export interface GeneratedStore {
  file: string;
  items: number;
  stories: number;
  /** The announce sequence at the start of the last day: a cursor that sees one day of stories. */
  dayCursor: number;
  generatedNow: boolean;
}

/** The cached store for (items, days, seed), generated first when missing. */
export function generatedStore(p: { items: number; days: number; seed: number }): GeneratedStore {
  const dir = path.join(CACHE_DIR, 'stores');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `store-${p.items}-${p.days}d-seed${p.seed}-g${GENERATOR_VERSION}.db`);
  const generatedNow = !existsSync(file);
  if (generatedNow) {
    const tmp = `${file}.tmp-${process.pid}`;
    const t0 = performance.now();
    say(
      `generating a ${p.items.toLocaleString('en')}-item store (seed ${p.seed}) into ${path.relative(process.cwd(), file)}…`,
    );
    generate(tmp, p);
    renameSync(tmp, file);
    for (const suffix of ['-wal', '-shm']) rmSync(`${tmp}${suffix}`, { force: true });
    say(`generated in ${Math.round((performance.now() - t0) / 1000)} s`);
  }
  const db = openDb(file);
  try {
    const stories = Number(db.prepare('SELECT count(*) FROM stories').pluck().get());
    const items = Number(db.prepare('SELECT count(*) FROM items').pluck().get());
    const dayCursor = Number(
      db
        .prepare('SELECT coalesce(max(announce_seq), 0) FROM stories WHERE first_seen_at < ?')
        .pluck()
        .get(END - DAY),
    );
    return { file, items, stories, dayCursor, generatedNow };
  } finally {
    db.close();
  }
}

function generate(file: string, p: { items: number; days: number; seed: number }): void {
  const db = openDb(file);
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  const random = rng(p.seed);
  const start = END - p.days * DAY;
  const feed = db.prepare(
    `INSERT INTO feeds (id, url, name, title, interval_ms, full_text, next_poll_at, last_polled_at, last_success_at, polls, created_at)
     VALUES (?, ?, ?, ?, 900000, 'never', ?, ?, ?, 1, ?)`,
  );
  const story = db.prepare(
    `INSERT INTO stories (id, representative_item_id, title, lead, first_seen_at, updated_at, item_count, announce_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const item = db.prepare(
    `INSERT INTO items (id, feed_id, guid, url, title, published_at, content, summary, summary_method, story_id, announced, first_seen_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'extractive', ?, 1, ?)`,
  );
  const topic = db.prepare('INSERT INTO item_topics (item_id, topic, score, explanation) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let f = 1; f <= FEEDS; f++) {
      feed.run(f, `https://outlet${f}.example.org/feed.xml`, `Outlet ${f}`, `Outlet ${f} News`, END, END, END, start);
    }
  })();
  // Stories of 1 to 4 items (mean 2), evenly spread over the days.
  const storyCount = Math.ceil(p.items / 2);
  let itemId = 0;
  let storyId = 0;
  const batch = 5_000;
  while (itemId < p.items) {
    db.transaction(() => {
      for (let b = 0; b < batch && itemId < p.items; b++) {
        storyId++;
        const members = Math.min(p.items - itemId, pick(random, [1, 1, 1, 2, 2, 3, 4] as const));
        const at = Math.floor(start + ((storyId - 1) / storyCount) * p.days * DAY);
        const beat = random() < 0.1;
        const { title, lead } = eventText(storyId, beat);
        const topics = beat ? [pick(random, TOPICS), ...(random() < 0.3 ? [pick(random, TOPICS)] : [])] : [];
        story.run(storyId, itemId + 1, title, lead, at, at, members, storyId);
        for (let m = 0; m < members; m++) {
          itemId++;
          const feedId = 1 + Math.floor(random() * FEEDS);
          const published = at + Math.floor(m * random() * 6 * 3_600_000);
          const content = `${lead} ${filler(random, 40 + Math.floor(random() * 30))}${itemId % 40_000 === 7 ? ` ${RARE_TERM} archive.` : ''}`;
          const t = m === 0 ? title : `${title} (${pick(random, ['update', 'analysis', 'explainer', 'live'])})`;
          item.run(
            itemId,
            feedId,
            `g${itemId}`,
            `https://outlet${feedId}.example.org/a/${itemId}`,
            t,
            published,
            content,
            lead,
            storyId,
            Math.min(published, END),
          );
          for (const x of new Set(topics)) {
            const score = Math.round((0.3 + random() * 0.7) * 100) / 100;
            topic.run(
              itemId,
              x.id,
              score,
              JSON.stringify({ explanation: `matched "${x.term}"`, hits: [{ term: x.term }] }),
            );
          }
        }
      }
    })();
    if (storyId % 100_000 < batch) say(`  ${itemId.toLocaleString('en')} items`);
  }
  db.prepare('UPDATE announce_counter SET seq = ? WHERE id = 1').run(storyId);
  db.exec("INSERT INTO items_fts(items_fts) VALUES ('optimize')");
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function filler(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(pick(random, FILLER));
  return `${out.join(' ')}.`;
}
