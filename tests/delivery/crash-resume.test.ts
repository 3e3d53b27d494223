/**
 * THE CRASH TEST. A real delivery process (a child running the real outbox and the real
 * discord.js / @slack/web-api client) is killed with SIGKILL after the platform has created a
 * part's message but before the process could mark it sent: the fake records and creates the
 * message, then never answers. A second process resumes from the same SQLite file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueDigest, getDigest, getParts } from '../../src/delivery/outbox.js';
import { tempDb } from '../helpers/db.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { addSubscription, cursorOf, discordParts, partNo, slackParts } from './fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKER = path.join(ROOT, 'tests/helpers/outbox-worker.ts');
// Each worker start compiles TypeScript and loads discord.js: seconds on a busy machine.
const SLOW = 90_000;

describe('crash between post and mark, then restart', () => {
  let t: ReturnType<typeof tempDb>;
  beforeEach(() => {
    t = tempDb();
  });
  afterEach(() => t.close());

  it(
    'Discord: the re-post returns the same message (nonce), the rest are sent, the cursor moves once',
    async () => {
      const fake = await new FakeDiscord().start();
      try {
        const channel = '1300000000000000001';
        const sub = await addSubscription(t.sql, {
          platform: 'discord',
          workspace: '1200000000000000001',
          channel,
          thread: '',
        });
        const digestId = await enqueueDigest(t.sql, {
          subscriptionId: sub,
          parts: discordParts(3),
          cursorFrom: 0,
          cursorTo: 120,
          storyCount: 9,
          now: Date.now(),
        });
        fake.failNext({ kind: 'hang_after_create' }, { when: (b) => partNo(b?.content) === 2 });

        // 1. The first process posts part 1, gets part 2 created on Discord, and dies unanswered.
        const first = startWorker(t.file, 'discord', fake.restApi, fake.token);
        await fake.waitFor(() => fake.messages.length === 2);
        await kill(first);
        expect((await getParts(t.sql, digestId)).map((p) => [p.status, p.platformMessageId !== null])).toEqual([
          ['sent', true],
          ['pending', false],
          ['pending', false],
        ]);
        expect(await cursorOf(t.sql, sub)).toEqual({ cursor: 0, lastDigestAt: null });
        const createdBeforeCrash = fake.messages[1]?.id;

        // 2. A restart resumes: part 2 again (same nonce → same message), then part 3.
        expect(await runWorker(t.file, 'discord', fake.restApi, fake.token)).toEqual({ sent: 2, failed: 0, dead: 0 });
        const parts = await getParts(t.sql, digestId);
        expect(parts.every((p) => p.status === 'sent')).toBe(true);
        expect(parts[1]?.platformMessageId).toBe(createdBeforeCrash);
        // Exactly one message per part on Discord, in order, although part 2 was posted twice.
        expect(fake.messagesIn(channel).map((m) => partNo(m.body.content))).toEqual([1, 2, 3]);
        expect(fake.messagesIn(channel).map((m) => m.id)).toEqual(parts.map((p) => p.platformMessageId));
        expect(fake.messagePosts(channel).map((r) => partNo(r.body.content))).toEqual([1, 2, 2, 3]);
        expect((await getDigest(t.sql, digestId))?.status).toBe('delivered');
        const after = await cursorOf(t.sql, sub);
        expect(after.cursor).toBe(120);
        expect(after.lastDigestAt).not.toBeNull();

        // 3. Another restart finds nothing to do: confirmed parts are never posted again.
        expect(await runWorker(t.file, 'discord', fake.restApi, fake.token)).toEqual({ sent: 0, failed: 0, dead: 0 });
        expect(fake.messagePosts(channel)).toHaveLength(4);
        expect(await cursorOf(t.sql, sub)).toEqual(after);
      } finally {
        await fake.stop();
      }
    },
    SLOW,
  );

  it(
    'Slack: the part in flight at the crash is found by its metadata and posted exactly once',
    async () => {
      const fake = await new FakeSlack().start();
      try {
        const sub = await addSubscription(t.sql, {
          platform: 'slack',
          workspace: 'T0FAKETEAM',
          channel: 'C0DESK',
          thread: '',
        });
        const digestId = await enqueueDigest(t.sql, {
          subscriptionId: sub,
          parts: slackParts(3),
          cursorFrom: 0,
          cursorTo: 55,
          storyCount: 6,
          now: Date.now(),
        });
        fake.failNext({ kind: 'hang_after_post' }, { when: (a) => partNo(a.text) === 2 });

        // 1. The first process posts part 1, gets part 2 created on Slack, and dies unanswered.
        const first = startWorker(t.file, 'slack', fake.slackApiUrl, fake.token);
        await fake.waitFor(() => fake.posts.length === 2);
        await kill(first);
        expect((await getParts(t.sql, digestId)).map((p) => p.status)).toEqual(['sent', 'pending', 'pending']);
        expect((await cursorOf(t.sql, sub)).cursor).toBe(0);
        const createdBeforeCrash = fake.posts[1];
        expect(createdBeforeCrash?.metadata).toMatchObject({
          event_type: 'watchdesk_digest_part',
          event_payload: { digest_id: digestId, part: 2, parts: 3 },
        });

        // 2. A restart looks for part 2 (in part 1's thread) before posting, finds it, marks it, then posts part 3.
        expect(await runWorker(t.file, 'slack', fake.slackApiUrl, fake.token)).toEqual({ sent: 2, failed: 0, dead: 0 });
        expect(fake.callsOf('conversations.replies')).toHaveLength(1);
        expect(fake.postsIn('C0DESK').map((p) => partNo(p.text))).toEqual([1, 2, 3]);
        const parts = await getParts(t.sql, digestId);
        expect(parts.map((p) => p.platformMessageId)).toEqual(fake.posts.map((p) => p.ts));
        expect(parts[1]?.platformMessageId).toBe(createdBeforeCrash?.ts);
        // The later parts hang in the first part's thread.
        expect(fake.posts.map((p) => p.threadTs)).toEqual([undefined, fake.posts[0]?.ts, fake.posts[0]?.ts]);
        expect((await getDigest(t.sql, digestId))?.status).toBe('delivered');
        expect((await cursorOf(t.sql, sub)).cursor).toBe(55);

        // 3. Another restart finds nothing to do.
        expect(await runWorker(t.file, 'slack', fake.slackApiUrl, fake.token)).toEqual({ sent: 0, failed: 0, dead: 0 });
        expect(fake.posts).toHaveLength(3);
      } finally {
        await fake.stop();
      }
    },
    SLOW,
  );
});

function startWorker(db: string, platform: string, apiUrl: string, token: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WORKER, db, platform, apiUrl, token], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function runWorker(db: string, platform: string, apiUrl: string, token: string): Promise<unknown> {
  const child = startWorker(db, platform, apiUrl, token);
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`worker exited with ${code}: ${err}`);
  return JSON.parse(out.trim());
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, signal) => resolve(signal)));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}
