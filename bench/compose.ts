/**
 * npm run bench -- compose [--quick] [--subscriptions 500] [--seed 14] [--profile]
 *
 * Scheduled digest runs for many subscriptions over one day of items: each subscription's cursor
 * sits at the start of the store's last day (about 5,000 items, the daily rate of the
 * million-item store), and each run composes, renders for its platform and puts the digest in the
 * outbox (runSubscription), as the scheduler does. Subscriptions vary in topics (all, one, two),
 * platform (Discord, Slack, console) and size (5 to 20 stories). Target: no subscription over
 * 50 ms. Everything happens in one transaction that is rolled back, so the cached store is kept.
 */
import path from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { createLogger } from '../src/log.js';
import { composeForSubscription, runSubscription } from '../src/pipeline/digests.js';
import { openDb } from '../src/store/db.js';
import { storiesAfterCursor } from '../src/store/digest-stories.js';
import { sqlOf } from '../src/store/sql.js';
import { getSubscription, upsertSubscription } from '../src/store/subscriptions.js';
import { argValue, writeResults } from './data.js';
import { loadAverage, machineInfo, machineLine, mdTable, percentile, round, say, withinTime } from './lib/measure.js';
import { profileMarkdown, startProfile, summarizeProfile } from './lib/profile.js';
import { END, generatedStore } from './lib/store-gen.js';

const TARGET_MAX_MS = 50;
const TOPICS = ['trafficking-law', 'platform-liability', 'child-safety', 'eu-dsa', 'uk-osa', 'enforcement-courts'];
const PLATFORMS = ['discord', 'slack', 'console'] as const;

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const count = Number(argValue(args, '--subscriptions') ?? (quick ? 50 : 500));
  const seed = Number(argValue(args, '--seed') ?? 14);
  const machine = machineInfo();
  // Three days at the million-item store's rate; the cursor sees the last one.
  const store = generatedStore({ items: 15_000, days: 3, seed });
  const db = openDb(store.file);
  const config = loadConfig({ env: { secrets: {} } });
  const deps = { db: sqlOf(db), config, now: () => END, log: createLogger({ level: 'silent' }) };
  const dayStories = (await storiesAfterCursor(sqlOf(db), store.dayCursor)).length;
  say(`compose: ${count} subscriptions over ${dayStories} stories of the last day (${path.basename(store.file)})`);
  const perSub: { ms: number; stories: number; parts: number; platform: string; topics: string }[] = [];
  const profiler = await startProfile('compose', args.includes('--profile'));
  db.exec('BEGIN');
  const t0 = performance.now();
  try {
    await withinTime(
      'compose',
      quick ? 60_000 : 300_000,
      (async () => {
        for (let i = 0; i < count; i++) {
          const topics = i % 3 === 0 ? 'all' : i % 3 === 1 ? [TOPICS[i % 6]!] : [TOPICS[i % 6]!, TOPICS[(i + 2) % 6]!];
          const platform = PLATFORMS[i % 3]!;
          const id = await upsertSubscription(
            sqlOf(db),
            {
              platform,
              workspace: 'bench',
              channel: `c${i}`,
              topics,
              schedule: 'daily 09:00',
              timezone: 'UTC',
              mode: 'digest',
              maxItems: 5 + (i % 4) * 5,
              minScore: 0,
            },
            { source: 'command', now: END },
          );
          db.prepare('UPDATE subscriptions SET cursor = ? WHERE id = ?').run(store.dayCursor, id);
          const sub = (await getSubscription(sqlOf(db), id))!;
          const s0 = performance.now();
          const result = await runSubscription(deps, sub);
          const ms = performance.now() - s0;
          if (result.status === 'busy') throw new Error(`subscription ${id} was busy`);
          perSub.push({
            ms,
            stories: result.status === 'enqueued' ? result.stories : 0,
            parts: result.status === 'enqueued' ? result.parts : 0,
            platform,
            topics: JSON.stringify(topics),
          });
        }
      })(),
    );
  } finally {
    db.exec('ROLLBACK');
  }
  const totalMs = performance.now() - t0;
  const profileFile = await profiler.stop();
  // For scale: loading the day's candidates once, and composing from them without the store.
  const c0 = performance.now();
  const candidates = await storiesAfterCursor(sqlOf(db), store.dayCursor);
  const loadMs = performance.now() - c0;
  const sub = { id: 1, topics: 'all' as const, maxItems: 10, minScore: 0, lastDigestAt: null, mode: 'digest' as const };
  const k0 = performance.now();
  composeForSubscription(deps, sub, candidates, END);
  const composeMs = performance.now() - k0;
  db.close();
  machine.loadEnd = loadAverage();

  const ms = perSub.map((x) => x.ms);
  const slowest = perSub.reduce((a, b) => (b.ms > a.ms ? b : a));
  const json = {
    machine,
    quick,
    store: { ...store, file: path.basename(store.file) },
    dayStories,
    subscriptions: count,
    totalMs: Math.round(totalMs),
    perDigestMeanMs: round(ms.reduce((a, b) => a + b, 0) / ms.length),
    p50Ms: round(percentile(ms, 50)),
    p99Ms: round(percentile(ms, 99)),
    maxMs: round(slowest.ms),
    slowest,
    over50ms: perSub.filter((x) => x.ms > TARGET_MAX_MS).length,
    loadDayCandidatesMs: round(loadMs),
    composeFromLoadedMs: round(composeMs),
    targetMaxMs: TARGET_MAX_MS,
    met: slowest.ms <= TARGET_MAX_MS,
  };
  const md = [
    `# Composing digests for ${count} subscriptions over one day${quick ? ' (quick)' : ''}`,
    '',
    machineLine(machine),
    '',
    `${dayStories} stories announced in the day (${store.items.toLocaleString('en')}-item store, 3 days). Each run composes, renders and enqueues (runSubscription).`,
    '',
    mdTable(
      [
        'subscriptions',
        'total (ms)',
        'mean per digest (ms)',
        'p50 (ms)',
        'p99 (ms)',
        'slowest (ms)',
        `over ${TARGET_MAX_MS} ms`,
      ],
      [[count, json.totalMs, json.perDigestMeanMs, json.p50Ms, json.p99Ms, json.maxMs, json.over50ms]],
    ),
    '',
    `Slowest: ${slowest.platform}, topics ${slowest.topics}, ${slowest.stories} stories in ${slowest.parts} parts. ` +
      `For scale: loading the day's ${dayStories} candidates takes ${json.loadDayCandidatesMs} ms, composing from them ${json.composeFromLoadedMs} ms. ` +
      `Target, no subscription over ${TARGET_MAX_MS} ms: ${json.met ? 'met' : 'not met'}.`,
    ...(profileFile ? ['', '## Profile', '', profileMarkdown(summarizeProfile(profileFile))] : []),
  ].join('\n');
  writeResults(quick ? 'compose-quick' : 'compose', json, md);
  say(`\n${md}`);
}
