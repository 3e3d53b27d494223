import type { Command } from 'commander';
import { registerBackup } from './backup.js';
import { registerClassify } from './classify.js';
import { registerConfig } from './config.js';
import { registerDemo } from './demo.js';
import { registerDigest } from './digest.js';
import { registerDiscord } from './discord.js';
import { registerFeeds } from './feeds.js';
import { registerOutbox } from './outbox.js';
import { registerParse } from './parse.js';
import { registerPoll } from './poll.js';
import { registerSlack } from './slack.js';
import { registerStart } from './start.js';
import { registerStories } from './stories.js';
import { registerSubscriptions } from './subscriptions.js';
import { registerSummarize } from './summarize.js';

/** One file per command; each adds itself to the program. */
export function registerCommands(program: Command): void {
  for (const register of [
    registerStart,
    registerDemo,
    registerPoll,
    registerFeeds,
    registerParse,
    registerClassify,
    registerSummarize,
    registerStories,
    registerDigest,
    registerSubscriptions,
    registerOutbox,
    registerConfig,
    registerDiscord,
    registerSlack,
    registerBackup,
  ]) {
    register(program);
  }
}
