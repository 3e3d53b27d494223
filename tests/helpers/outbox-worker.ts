/**
 * A delivery process for the crash tests: opens the store (a SQLite file or a PostgreSQL URL), runs one deliverPending pass
 * with a real sender against a fake platform, prints the result as JSON and exits. The test
 * kills it with SIGKILL mid-pass, then runs it again on the same file.
 *
 *   node --import tsx tests/helpers/outbox-worker.ts <db> <discord|slack> <apiUrl> <token>
 */
import { createDiscordSender } from '../../src/chat/discord/sender.js';
import { createSlackSender } from '../../src/chat/slack/sender.js';
import type { ChatSenders } from '../../src/chat/types.js';
import { deliverPending, targetFromStore } from '../../src/delivery/outbox.js';
import { openStore } from '../../src/store/open.js';

const [dbFile, platform, apiUrl, token] = process.argv.slice(2);
if (!dbFile || !apiUrl || !token || (platform !== 'discord' && platform !== 'slack')) {
  process.stderr.write('usage: outbox-worker <db> <discord|slack> <apiUrl> <token>\n');
  process.exit(2);
}

const senders: ChatSenders =
  platform === 'discord'
    ? { discord: createDiscordSender({ token, apiUrl }) }
    : { slack: createSlackSender({ token, apiUrl }) };
const db = await openStore(dbFile);
const result = await deliverPending({
  db,
  senders,
  now: () => Date.now(),
  targetFor: targetFromStore(db),
});
await db.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
