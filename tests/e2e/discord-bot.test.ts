/**
 * End to end: `watchdesk start` with DISCORD_TOKEN, pointed at the fake Discord by discord.apiBaseUrl, runs the
 * real discord.js Client. The test seeds the store through the real pipeline (feed server → poll → ingest), then
 * talks to the bot only as Discord would: gateway events in, REST requests out.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { storeSetting, type TempStore, tempStore } from '../helpers/db.js';
import { FakeDiscord, type RecordedRequest } from '../helpers/fake-discord.js';
import {
  autocompleteInteraction,
  buttonInteraction,
  chatInputInteraction,
  type InteractionWho,
  MEMBER_PERMISSIONS,
  type OptionValue,
} from '../helpers/fake-discord-interactions.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { validateDiscordMessage } from '../helpers/payload-validator.js';
import { until } from '../helpers/wait.js';
import { seedThroughPipeline } from './seed.js';

const GUILD = '1200000000000000001';
const TEXT = '1300000000000000001';
const NEWS = '1300000000000000002';
const LOCKED = '1300000000000000003';
const ANNOUNCE = '1300000000000000004';
const THREAD = '1300000000000000010';
const FORUM = '1300000000000000020';
const EDITORS = '1600000000000000001';

const ADMIN: InteractionWho = {};
const MEMBER: InteractionWho = { userId: '1500000000000000002', username: 'bob', permissions: MEMBER_PERMISSIONS };
const EDITOR: InteractionWho = { ...MEMBER, userId: '1500000000000000003', username: 'erin', roles: [EDITORS] };

const HOSTILE_TITLE = '@everyone <@&123> Senators revive the Kids Online Safety Act';

describe('watchdesk start with a real discord.js Client against the fake Discord', () => {
  let fake: FakeDiscord;
  let feeds: FeedServer;
  let dir: string;
  let store: TempStore;
  let config: string;
  let bot: { child: ChildProcess; output: () => { stdout: string; stderr: string } };
  const stderr = () => bot.output().stderr;

  beforeAll(async () => {
    fake = await new FakeDiscord({
      guilds: [
        {
          id: GUILD,
          name: 'Policy desk',
          roles: [{ id: EDITORS, name: 'Editors' }],
          channels: [
            { id: TEXT, name: 'digest' },
            { id: NEWS, name: 'announcements', type: 5 },
            { id: LOCKED, name: 'locked' },
            { id: ANNOUNCE, name: 'policy-news', type: 5 },
            { id: THREAD, name: 'kosa-thread', type: 11, parentId: TEXT },
            { id: FORUM, name: 'digests', type: 15 },
          ],
        },
      ],
    }).start();
    feeds = await startFeedServer();
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-discord-e2e-'));
    // The store on the backend WATCHDESK_TEST_DB picks: a SQLite file, or a PostgreSQL schema of its own.
    store = await tempStore();
    const sub = (channel: string, extra: Record<string, unknown> = {}) => ({
      platform: 'discord',
      workspace: GUILD,
      channel,
      topics: 'all',
      schedule: 'daily 09:00',
      timezone: 'Europe/London',
      ...extra,
    });
    config = writeBeatConfig(dir, {
      feeds: [{ name: 'Capitol Wire', url: feeds.url('/wire.xml') }],
      extra: {
        store: storeSetting(store.location),
        subscriptions: [sub(TEXT), sub(TEXT, { thread: THREAD }), sub(FORUM), sub(ANNOUNCE), sub(LOCKED)],
        discord: { apiBaseUrl: fake.restApi, adminRoles: ['Editors'] },
        http: { port: 0 },
      },
    });
    await seedThroughPipeline(config, feeds, '/wire.xml', HOSTILE_TITLE);
    // Every channel's digest fell due while the bot was down: start-up sends each once (catch-up). The
    // locked channel answers 403 Missing Access.
    fake.failNext({ kind: 'missing_access' }, { channelId: LOCKED });
    bot = spawnCli(['--config', config, 'start'], { DISCORD_TOKEN: fake.token, WATCHDESK_LOG_LEVEL: 'info' });
    expect(await until(() => /Discord gateway ready/.test(stderr()), 45_000, 50)).toBe(true);
  }, 60_000);

  afterAll(async () => {
    if (bot && bot.child.exitCode === null) {
      const exited = new Promise((r) => bot.child.once('exit', r));
      bot.child.kill('SIGTERM');
      await exited;
    }
    await fake?.stop();
    await feeds?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Sends a slash command and waits for its answer: the callback, and for a deferral the edit or follow-up. */
  async function ask(sub: string, options: Record<string, OptionValue> = {}, who = ADMIN, channel = TEXT) {
    const { id, token } = fake.interact(chatInputInteraction(fake.where(channel), who, sub, options));
    await fake.waitFor(() => answered(fake.interactionReplies(id, token)), 15_000);
    return { id, token, replies: fake.interactionReplies(id, token) };
  }

  it('identifies with the Guilds intent only and posts the scheduled digests it owed', async () => {
    expect(fake.identifies[0]).toMatchObject({ token: fake.token, intents: 1 });
    await fake.waitFor(
      () => fake.messagesIn(TEXT).length >= 1 && fake.messagesIn(THREAD).length >= 1 && fake.forumPosts.length >= 1,
      15_000,
    );
    for (const channel of [TEXT, THREAD]) {
      const posts = fake.messagePosts(channel);
      expect(posts.length).toBeGreaterThan(0);
      for (const p of posts) expect(validateDiscordMessage(p.body)).toEqual([]);
      expect(posts[0]?.body.content).toMatch(/^\*\*watchdesk digest\*\* — \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    }
    // The forum got a post of its own, titled with the digest date, holding the digest.
    const [post] = fake.forumPosts;
    expect(post?.name).toMatch(/^watchdesk digest — \d{4}-\d{2}-\d{2}$/);
    const starter = fake.messagesIn(post!.threadId)[0];
    expect(validateDiscordMessage({ ...starter?.body, allowed_mentions: { parse: [] } })).toEqual([]);
    expect(fake.messagePosts(FORUM)).toEqual([]);
  });

  it('a feed item titled "@everyone <@&123>" reaches the channel and pings no one', () => {
    const body = fake.messagesIn(TEXT)[0]?.body;
    const text = JSON.stringify(body);
    expect(text).toContain('Senators revive the Kids Online Safety Act');
    expect(text).not.toMatch(/(?<!\u200b)@everyone/);
    expect(text).not.toContain('<@&123>');
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('403 Missing Access pauses that subscription; the reason shows in chat and in the CLI; subscribe resumes it', async () => {
    expect(await until(() => /subscription paused/.test(stderr()), 10_000, 50)).toBe(true);
    expect(stderr().match(/subscription paused/g)).toHaveLength(1);
    const list = await ask('subscriptions', {}, ADMIN, LOCKED);
    expect(text(list.replies)).toContain('Paused: missing access (Discord 50001)');
    const sources = await ask('sources', {}, ADMIN, LOCKED);
    expect(text(sources.replies)).toContain('Paused subscriptions');
    const cli = await runCli(['--config', config, 'subscriptions', 'list']);
    expect(cli.stdout).toMatch(/paused: missing access \(Discord 50001\)/);
    expect(cli.stdout).toContain('watchdesk subscriptions resume');
    const resumed = await ask('subscribe', { topic: 'all' }, ADMIN, LOCKED);
    // A subscription from the config file keeps its settings there; chat can still bring it back.
    expect(text(resumed.replies)).toContain('Subscription resumed');
    expect(text(resumed.replies)).toContain('(it was paused because missing access (Discord 50001)');
    const after = await ask('subscriptions', {}, ADMIN, LOCKED);
    expect(text(after.replies)).toMatch(/Next digest: \w{3} \d+ \w{3}, 09:00 Europe\/London/);
  });

  it('latest, with a Next page button that posts the following page', async () => {
    const first = await ask('latest', { count: 1 });
    const cb = callback(first.replies);
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.content).toMatch(/^\*\*Latest stories\*\*\nStories 1–1 of \d+/);
    expect(cb.body.data.embeds.length).toBeGreaterThan(1);
    expect(validateDiscordMessage(cb.body.data)).toEqual([]);
    const button = cb.body.data.components?.[0]?.components?.[0];
    expect(button).toMatchObject({ type: 2, label: 'Next page', custom_id: expect.stringMatching(/^wd:next:/) });
    const click = buttonInteraction(fake.where(TEXT), ADMIN, button.custom_id, '1700000000000000001');
    fake.interact(click);
    await fake.waitFor(
      () =>
        fake
          .interactionReplies(click.id, click.token)
          .some((r) => r.method === 'POST' && r.path.startsWith('/webhooks/')),
      15_000,
    );
    const page = fake.interactionReplies(click.id, click.token);
    // The clicked page loses its button (UPDATE_MESSAGE), the next page follows.
    expect(page[0]?.body).toMatchObject({ type: 7, data: { components: [] } });
    expect(page.at(-1)?.body.content).toMatch(/Stories 2–2 of \d+/);
  });

  it('search defers, then edits the reply with ranked results; quoted phrases stay phrases', async () => {
    const { replies } = await ask('search', { query: '"Kids Online Safety Act"', since: '7d' });
    expect(replies[0]?.body.type).toBe(5);
    const edit = replies.find((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'));
    expect(edit?.body.content).toMatch(/^\*\*Search: "Kids Online Safety Act"\*\*/);
    expect(JSON.stringify(edit?.body.embeds)).toContain('Kids Online Safety Act');
    const weird = await ask('search', { query: 'NEAR( "unclosed ^ * OR' });
    expect(text(weird.replies)).toContain('**Search: NEAR( "unclosed ^ * OR"**');
    expect(text(weird.replies)).not.toContain('Something went wrong');
  });

  it('story, topics and help answer with what the fake then holds', async () => {
    const storyId = (await store.sql.value<number>(
      "SELECT story_id FROM items WHERE title LIKE '%Kids Online Safety%'",
    ))!;
    const story = await ask('story', { id: storyId });
    expect(text(story.replies)).toContain(`Story ${storyId}`);
    expect(text(story.replies)).toContain('Every report');
    expect(text((await ask('story', { id: 999_999 })).replies)).toContain('There is no story 999999.');
    const topics = await ask('topics');
    expect(text(topics.replies)).toMatch(/Child online safety.*\(child-safety\)/);
    const help = await ask('help');
    expect(callback(help.replies).body.data.flags).toBe(64);
    expect(text(help.replies)).toContain('/digest subscribe <topic> [schedule] [timezone] [mode]');
  });

  it('autocomplete offers topics and recent stories', async () => {
    const topic = autocompleteInteraction(fake.where(TEXT), ADMIN, 'latest', { name: 'topic', value: 'child' });
    fake.interact(topic);
    const cb = await fake.waitForRequest((r) => r.path === `/interactions/${topic.id}/${topic.token}/callback`);
    expect(cb.body).toEqual({ type: 8, data: { choices: [expect.objectContaining({ value: 'child-safety' })] } });
    const story = autocompleteInteraction(fake.where(TEXT), ADMIN, 'story', { name: 'id', value: 'kids', type: 4 });
    fake.interact(story);
    const scb = await fake.waitForRequest((r) => r.path === `/interactions/${story.id}/${story.token}/callback`);
    expect(scb.body.data.choices[0].name).toMatch(/^#\d+ .*Kids Online Safety Act/);
  });

  it('refuses subscribe to a member without Manage Channels, allows a member with an admin role', async () => {
    const refused = await ask('subscribe', { topic: 'all' }, MEMBER, NEWS);
    expect(callback(refused.replies).body.data.flags).toBe(64);
    expect(text(refused.replies)).toContain(
      'Only admins may use /digest subscribe: you need the Manage Channels permission, or one of the roles: Editors.',
    );
    const allowed = await ask('subscribe', { topic: 'child-safety', schedule: 'weekdays 08:30' }, EDITOR, NEWS);
    expect(text(allowed.replies)).toContain('Subscribed');
    expect(text(allowed.replies)).toMatch(/Next digest: .* UTC \(in /);
  });

  it('subscribing twice updates the one subscription and says what changed; preview is for the asker only', async () => {
    const again = await ask('subscribe', { topic: 'eu-dsa', timezone: 'America/New_York' }, ADMIN, NEWS);
    expect(text(again.replies)).toContain('Subscription updated');
    expect(text(again.replies)).toContain('Time zone: UTC → America/New_York');
    const list = await ask('subscriptions', {}, ADMIN, NEWS);
    expect(text(list.replies)).toContain('1 subscription in this channel');
    const preview = await ask('preview', {}, MEMBER, TEXT);
    expect(callback(preview.replies).body.data.flags).toBe(64);
    expect(text(preview.replies)).toContain('Preview of the next digest');
    const gone = await ask('unsubscribe', { topic: 'all' }, ADMIN, NEWS);
    expect(text(gone.replies)).toContain('no longer gets digests');
  });

  it('bad input gets an ephemeral reply that says what to type instead', async () => {
    const bad = await ask('latest', { topic: 'child-safty' });
    expect(callback(bad.replies).body.data.flags).toBe(64);
    expect(text(bad.replies)).toContain('Did you mean `child-safety`?');
    const schedule = await ask('subscribe', { topic: 'all', schedule: 'daily 25:00' }, ADMIN, NEWS);
    expect(text(schedule.replies)).toContain('schedule: expected a preset');
    // Search defers in public; its error then replaces the "thinking…" message with one only the asker sees.
    const since = await ask('search', { query: 'kosa', since: 'last week' });
    expect(since.replies.map((r) => r.method)).toEqual(['POST', 'DELETE', 'POST']);
    expect(since.replies[2]?.body.flags).toBe(64);
    expect(text(since.replies)).toContain('since must be a duration such as 24h or 7d, not "last week".');
  });

  it('waits out a 429 with Retry-After on a command reply, then answers', async () => {
    fake.failNextRequest(
      { kind: 'rate_limit', retryAfterSec: 1 },
      (r) => r.method === 'POST' && r.path.endsWith('/callback'),
    );
    const { id, token } = fake.interact(chatInputInteraction(fake.where(TEXT), ADMIN, 'topics', {}));
    await fake.waitFor(() => fake.interactionReplies(id, token).length >= 2, 15_000);
    const [limited, retried] = fake.interactionReplies(id, token);
    expect(limited?.path).toBe(retried?.path);
    expect(retried?.body.type).toBe(4);
  });

  it('resumes its gateway session after the connection drops, and keeps answering', async () => {
    fake.dropGatewayConnections();
    await fake.waitFor(() => fake.resumes.length > 0, 20_000);
    expect(fake.resumes[0]).toMatchObject({ session_id: expect.stringMatching(/^fake-session-/) });
    expect(fake.identifies).toHaveLength(1);
    const after = await ask('topics');
    expect(callback(after.replies).body.type).toBe(4);
  });
});

function callback(replies: RecordedRequest[]): RecordedRequest {
  const cb = replies.filter((r) => r.path.endsWith('/callback')).at(-1);
  if (!cb) throw new Error('no interaction callback');
  return cb;
}

/** Answered: a reply (type 4), or a deferral followed by its edit or follow-up. */
function answered(replies: RecordedRequest[]): boolean {
  const cb = replies.filter((r) => r.path.endsWith('/callback')).at(-1);
  if (!cb) return false;
  if (cb.body.type !== 5) return true;
  return replies.some((r) => r.path.startsWith('/webhooks/') && (r.method === 'PATCH' || r.method === 'POST'));
}

/**
 * Everything a person would read in the replies: content, embed titles, descriptions and fields, with Discord's
 * markdown escapes and mention guards taken out as Discord takes them out when it shows the message.
 */
function text(replies: RecordedRequest[]): string {
  return replies
    .map((r) => (r.path.endsWith('/callback') ? r.body?.data : r.body))
    .filter(Boolean)
    .flatMap((m) => [
      m.content ?? '',
      ...(m.embeds ?? []).flatMap(
        (e: { title?: string; description?: string; fields?: { name: string; value: string }[] }) => [
          e.title ?? '',
          e.description ?? '',
          ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
        ],
      ),
    ])
    .join('\n')
    .replace(/\\([\\*_~`|[\]<>#:+.-])/g, '$1')
    .replace(/\u200b/g, '');
}
