/**
 * END TO END, HTTP MODE: a real `watchdesk start` (Bolt's HTTP receiver on slack.port) against the fake Slack and a
 * local feed. Signed slash commands for every command, Slack's signature rules, the "Next page" button,
 * permissions, scheduled digests within Slack's limits, and the failures a channel can throw at delivery.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { type TempStore, tempStore } from '../helpers/db.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { type FeedServer, startFeedServer } from '../helpers/feed-server.js';
import { validateAll } from '../helpers/payload-validator.js';
import { type SlackBot, startSlackBot } from '../helpers/slack-bot.js';
import { buttonClick, postToApp, type Signing, slashCommand } from '../helpers/slack-requests.js';
import { CH, markFeedsPolledBefore, serveBeatFeed, writeSlackConfig } from './slack-fixtures.js';

const SECRET = 'test-signing-secret-for-http-mode';
const SLOW = 120_000;

describe('Slack in HTTP mode, end to end', () => {
  const slack = new FakeSlack();
  let feeds: FeedServer;
  let dir: string;
  let store: TempStore;
  let config: string;
  let bot: SlackBot;
  let seq = 0;

  /** Posts `/digest <text>` as `user` in `channel`; returns the HTTP answer (the ack) and the response_url id. */
  const digest = async (text: string, p: { user?: string; channel?: string; signing?: Signing } = {}) => {
    const id = `r${++seq}`;
    const who = {
      team: slack.team.id,
      channel: p.channel ?? CH.commands,
      user: p.user ?? 'U0READER',
      responseUrl: slack.responseUrl(id),
    };
    const res = await postToApp(bot.eventsUrl as string, SECRET, slashCommand(text, who), p.signing);
    const raw = await res.text();
    return { status: res.status, ack: raw ? JSON.parse(raw) : null, id };
  };
  /** Everything the command answered with: the ack body, then what went to its response_url. */
  const answers = async (r: { ack: unknown; id: string }, count = 1) => {
    const later = count - (r.ack ? 1 : 0);
    if (later > 0) await slack.waitFor(() => slack.responsesTo(r.id).length >= later, 30_000);
    return [...(r.ack ? [r.ack] : []), ...slack.responsesTo(r.id).map((x) => x.body)];
  };
  const text = (m: unknown) => JSON.stringify(m);

  beforeAll(async () => {
    await slack.start();
    feeds = await startFeedServer();
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-slack-http-'));
    store = await tempStore();
    slack.users.set('U0ADMIN', { name: 'ada', is_admin: true });
    slack.users.set('U0READER', { name: 'rex' });
    slack.removeBot(CH.notIn, { private: false });
    slack.archiveChannel(CH.archived);
    slack.failNext({ kind: 'ratelimited', retryAfterSec: 1 }, { when: (a) => a.channel === CH.busy });
    config = writeSlackConfig(dir, {
      feedUrl: serveBeatFeed(feeds),
      slack,
      store: store.location,
      channels: [CH.digest, CH.notIn, CH.archived, CH.busy],
      adminUsers: ['U0LISTED'],
    });
    await markFeedsPolledBefore(config);
    bot = await startSlackBot(config, { SLACK_BOT_TOKEN: slack.token, SLACK_SIGNING_SECRET: SECRET });
    // The first scheduled digest means the feed was polled and its stories stored.
    await slack.waitFor(() => slack.postsIn(CH.digest).length > 0, 60_000);
  }, SLOW);

  afterAll(async () => {
    expect(await bot?.stop()).toBe(0);
    await slack.stop();
    await feeds.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens where the log says, and refuses unsigned, wrongly signed and stale requests with 401', async () => {
    expect(bot.eventsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/events$/);
    for (const signing of ['none', 'wrong', 'stale'] as const) {
      const r = await digest('help', { signing });
      expect(r.status, signing).toBe(401);
    }
    const good = await digest('help');
    expect(good.status).toBe(200);
    // Only the signed one was answered.
    expect(slack.responses.filter((x) => ['r1', 'r2', 'r3'].includes(x.id))).toEqual([]);
    expect(text(good.ack)).toContain('/digest latest');
  });

  it('a scheduled digest reaches the channel as Block Kit within every limit, feed mentions inert', async () => {
    const posts = slack.postsIn(CH.digest);
    expect(validateAll('slack', posts)).toEqual([]);
    const all = text(posts);
    expect(all).toContain('Kids Online Safety Act');
    expect(all).toContain('Section 230');
    for (const injected of ['<!channel>', '<!here>', '<@U123>', '<https://evil.example']) {
      expect(all).not.toContain(injected);
    }
    expect(all).toContain('&lt;!channel&gt;');
    expect(posts[0]?.metadata?.event_type).toBe('watchdesk_digest_part');
  });

  it('answers each read command: latest (with a working Next page), search, story, topics, preview, sources, help', async () => {
    const latest = await digest('latest 2');
    expect(latest.status).toBe(200);
    const [page1] = await answers(latest);
    expect(page1.response_type).toBe('in_channel');
    expect(validateAll('slack', [page1])).toEqual([]);
    const button = page1.blocks.at(-1).elements[0];
    expect(button).toMatchObject({ type: 'button', action_id: 'digest_next_page' });

    const click = await postToApp(bot.eventsUrl as string, SECRET, {
      payload: JSON.stringify(
        buttonClick({
          team: slack.team.id,
          channel: CH.commands,
          user: 'U0READER',
          responseUrl: slack.responseUrl('next1'),
          actionId: button.action_id,
          value: button.value,
          message: { text: page1.text, blocks: page1.blocks },
        }),
      ),
    });
    expect(click.status).toBe(200);
    await slack.waitFor(() => slack.responsesTo('next1').length >= 2, 30_000);
    // As on Discord: the button comes off the page it was on (that page replaced, otherwise unchanged)…
    const [replaced, page2] = slack.responsesTo('next1').map((r) => r.body);
    expect(replaced).toMatchObject({ replace_original: true, text: page1.text });
    expect(replaced.blocks).toEqual(page1.blocks.slice(0, -1));
    // …and the next page comes as a new message.
    expect(page2.replace_original).toBe(false);
    expect(text(page2)).toMatch(/Stories 3–4 of 5/);

    // search is slow by design: acked empty at once, answered through the response_url.
    const search = await digest('search "section 230" since:7d');
    expect(search.ack).toBeNull();
    expect(text(await answers(search))).toContain('recommendation algorithms');

    const storyId = /story (\d+)/.exec(text(page1))?.[1];
    expect(storyId).toBeDefined();
    expect(text(await answers(await digest(`story ${storyId}`)))).toContain('beatwire.example');
    expect(text(await answers(await digest('topics')))).toContain('Platform liability');
    const sources = text(await answers(await digest('sources')));
    expect(sources).toContain('Beat Wire');
    expect(sources).toContain('1 feed: 1 ok');
    const preview = await answers(await digest('preview', { channel: CH.digest }));
    expect(preview[0].response_type).toBe('ephemeral');
    expect(text(await answers(await digest('help')))).toContain('/digest subscribe');
  });

  it('bad input and unknown subcommands get an ephemeral reply that shows the right form', async () => {
    const unknown = (await answers(await digest('lastest')))[0];
    expect(unknown.response_type).toBe('ephemeral');
    expect(text(unknown)).toContain('/digest latest');
    const bad = (await answers(await digest('latest 500')))[0];
    expect(bad.response_type).toBe('ephemeral');
    expect(text(bad)).toMatch(/count must be a whole number from 1 to 20/);
    const noStory = text((await answers(await digest('story 999')))[0]);
    expect(noStory).toContain('There is no story 999');
    // Slack has no option to type into: the hint says where the numbers are instead.
    expect(noStory).not.toContain('id option');
  });

  it('subscribe: refused for a member, allowed for a workspace admin and for slack.adminUsers; unsubscribe and subscriptions', async () => {
    const refused = (await answers(await digest('subscribe child-safety', { user: 'U0READER' })))[0];
    expect(refused.response_type).toBe('ephemeral');
    expect(text(refused)).toMatch(
      /you need the workspace admin or owner role, or your user id in the bot’s slack.adminUsers/,
    );
    expect(slack.callsOf('users.info').some((c) => c.args.user === 'U0READER')).toBe(true);

    const admin = (
      await answers(await digest('subscribe child-safety "weekdays 08:30" Europe/London', { user: 'U0ADMIN' }))
    )[0];
    expect(text(admin)).toMatch(/Subscribed/);
    expect(text(admin)).toMatch(/Europe\/London/);
    const listed = (await answers(await digest('subscribe eu-dsa', { user: 'U0LISTED' })))[0];
    expect(text(listed)).toMatch(/Subscription updated/);
    expect(slack.callsOf('users.info').some((c) => c.args.user === 'U0LISTED')).toBe(false);

    const subs = (await answers(await digest('subscriptions')))[0];
    expect(text(subs)).toMatch(/Child online safety/);
    const gone = (await answers(await digest('unsubscribe all', { user: 'U0ADMIN' })))[0];
    expect(text(gone)).toMatch(/Unsubscribed|removed/i);
  });

  it('not_in_channel in a public channel: the bot joins, then posts the digest', async () => {
    await slack.waitFor(() => slack.postsIn(CH.notIn).length > 0, 30_000);
    expect(slack.callsOf('conversations.join').map((c) => c.args.channel)).toContain(CH.notIn);
  });

  it('a 429 on a digest post is retried after Retry-After', async () => {
    await slack.waitFor(() => slack.postsIn(CH.busy).length > 0, 30_000);
    const attempts = slack.callsOf('chat.postMessage').filter((c) => c.args.channel === CH.busy);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
  });

  it(
    'an archived channel pauses its subscription, with the reason in /digest subscriptions and the CLI',
    async () => {
      const reply = await digest('subscriptions', { channel: CH.archived });
      const shown = text(await answers(reply));
      expect(shown).toMatch(/paused/i);
      expect(shown).toMatch(/channel archived/);
      expect(slack.postsIn(CH.archived)).toEqual([]);
      const list = await runCli(['--config', config, 'subscriptions', 'list']);
      expect(list.stdout).toMatch(/slack:T0FAKETEAM\/C0ARCHIVED .*paused: channel archived \(Slack is_archived\)/);
    },
    SLOW,
  );

  it('a command reply that gets a 429 from the response_url waits out Retry-After and arrives', async () => {
    const id = `r${seq + 1}`;
    slack.failNextResponse(id, { status: 429, retryAfterSec: 1 });
    const r = await digest('search ofcom');
    expect(r.id).toBe(id);
    expect(text(await answers(r))).toContain('illegal harms codes');
    expect(slack.responsesTo(id)).toHaveLength(1);
  });
});
