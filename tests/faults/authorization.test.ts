/**
 * Issue 15, authorization: a member who is not an admin is refused every command that changes what the bot does
 * (subscribe, unsubscribe, feed add, feed remove) on Discord and on Slack, through the one registry both adapters
 * call (Slack's through its command text), and nothing changes. End to end on the fakes: tests/e2e/discord-bot.test.ts
 * and tests/e2e/slack-http.test.ts (subscribe), tests/commands/feed-command.test.ts (feed add).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand, runCommandText } from '../../src/commands/registry.js';
import type { RawInput } from '../../src/commands/types.js';
import { listWatchedFeeds } from '../../src/store/feeds.js';
import { listSubscriptions } from '../../src/store/subscriptions.js';
import { commandDeps, invocation } from '../helpers/command-fixtures.js';
import { tempDb } from '../helpers/db.js';
import { recordCounts } from './counts.js';

const ATTEMPTS: [string, RawInput, string][] = [
  ['subscribe', { topic: 'all' }, 'subscribe all'],
  ['unsubscribe', { topic: 'all' }, 'unsubscribe all'],
  ['feed', { action: 'add', url: 'https://feeds.example/rss' }, 'feed add https://feeds.example/rss'],
  ['feed', { action: 'remove', url: 'https://feeds.example/rss' }, 'feed remove https://feeds.example/rss'],
];

describe('a non-admin is refused what changes the bot, on both platforms', () => {
  let t: ReturnType<typeof tempDb>;
  beforeEach(() => {
    t = tempDb();
  });
  afterEach(() => t.close());

  it.each(['discord', 'slack'] as const)('%s: subscribe, unsubscribe, feed add and feed remove', async (platform) => {
    const deps = commandDeps(t.sql);
    const member = invocation({
      platform,
      workspace: platform === 'slack' ? 'T0FAKETEAM' : '1200000000000000001',
      channel: platform === 'slack' ? 'C0DESK' : '1300000000000000001',
      user: { id: 'U0MEMBER', admin: false },
    });
    let refused = 0;
    for (const [command, raw, text] of ATTEMPTS) {
      const reply =
        platform === 'slack'
          ? await runCommandText(deps, text, member)
          : await runCommand(deps, { command, raw, inv: member });
      expect(reply.title, `${platform} ${text}`).toBe('Admins only');
      expect(reply.ephemeral).toBe(true);
      refused++;
    }
    expect(await listSubscriptions(t.sql)).toHaveLength(0);
    expect(await listWatchedFeeds(t.sql)).toHaveLength(0);
    recordCounts('authorization', { inputs: refused, refused });
  });
});
