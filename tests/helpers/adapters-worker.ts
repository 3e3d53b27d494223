/**
 * One watchdesk instance's chat adapters, without the rest of `watchdesk start` (no polling, no digests, no
 * instance lease): the config's store and tokens, the app built from them, and startChatAdapters, which on
 * PostgreSQL runs the Discord gateway election. The leader hand-off test starts several on one store and kills
 * them with SIGKILL; SIGTERM stops one cleanly. Logs go to stderr, one JSON object per line.
 *
 *   node --import tsx tests/helpers/adapters-worker.ts <config.yaml>   (WATCHDESK_DB, DISCORD_TOKEN from env)
 */
import { createApp } from '../../src/app/app.js';
import { startChatAdapters } from '../../src/app/chat-adapters.js';
import { loadConfig } from '../../src/config/load.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: adapters-worker <config.yaml>\n');
  process.exit(2);
}
const app = await createApp(loadConfig({ file }), { logLevel: 'info' });
const adapters = await startChatAdapters(app, { subscriptionsChanged: () => {} });
process.once('SIGTERM', () => {
  void adapters
    .stop()
    .then(() => app.close())
    .then(() => process.exit(0));
});
