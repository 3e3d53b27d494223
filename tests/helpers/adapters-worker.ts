/**
 * One watchdesk instance's chat adapters, without the rest of `watchdesk start` (no polling, no timed digests, no
 * instance lease): the config's store and tokens, the app built from them, and startChatAdapters, which on
 * PostgreSQL runs the Discord gateway election. The leader hand-off test starts several on one store and kills
 * them with SIGKILL; SIGTERM stops one cleanly. A line "digests" on stdin runs every subscription once and
 * delivers the outbox through the app's senders (REST), then prints the delivery's result as JSON on stdout.
 * Logs go to stderr, one JSON object per line.
 *
 *   node --import tsx tests/helpers/adapters-worker.ts <config.yaml>   (DISCORD_TOKEN from env)
 */
import { createInterface } from 'node:readline';
import { createApp } from '../../src/app/app.js';
import { startChatAdapters } from '../../src/app/chat-adapters.js';
import { loadConfig } from '../../src/config/load.js';
import { deliverPending } from '../../src/delivery/outbox.js';
import { runSubscription } from '../../src/pipeline/digests.js';
import { listSubscriptions } from '../../src/store/subscriptions.js';

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
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'digests') continue;
  for (const sub of await listSubscriptions(app.db, { activeOnly: true })) await runSubscription(app.digestDeps, sub);
  process.stdout.write(`${JSON.stringify(await deliverPending(app.deliverDeps))}\n`);
}
