import type { Command } from 'commander';
import { errorMessage, UserError } from '../errors.js';
import { ago, channelLabel, parsePositiveInt, table, withApp, withStoreReadOnly } from './context.js';

export function registerOutbox(program: Command): void {
  const outbox = program.command('outbox').description('Inspect digests waiting for delivery and parts that failed');
  outbox
    .command('status')
    .description('Count pending digests, pending parts and dead parts, and list the dead ones with their reason')
    .action(async (_opts: unknown, cmd: Command) => {
      await withStoreReadOnly(cmd, async (app) => {
        const { listDeadParts, outboxStatus } = await import('../delivery/outbox.js');
        const status = await outboxStatus(app.db);
        process.stdout.write(
          `pending digests: ${status.pendingDigests}, pending parts: ${status.pendingParts}, dead parts: ${status.deadParts}\n`,
        );
        const dead = await listDeadParts(app.db);
        if (dead.length === 0) return;
        const now = app.clock.now();
        process.stdout.write(
          `\n${table(
            ['digest', 'part', 'channel', 'tries', 'composed', 'reason'],
            dead.map((d) => [
              d.digestId,
              `${d.seq}/${d.partCount}`,
              channelLabel(d),
              d.attempts,
              ago(d.digestCreatedAt, now),
              d.lastError ?? '',
            ]),
          )}\n\nFix the cause, then: watchdesk outbox retry <digest>\n`,
        );
      });
    });
  outbox
    .command('retry <digest>')
    .description("Re-queue a dead digest's failed parts once the cause is fixed (the running bot sends them)")
    .action(async (digest: string, _opts: unknown, cmd: Command) => {
      const digestId = parsePositiveInt('digest id')(digest);
      await withApp(cmd, async (app) => {
        const { retryDead } = await import('../delivery/outbox.js');
        try {
          const n = await retryDead(app.db, digestId);
          process.stdout.write(`digest ${digestId}: ${n} part(s) queued again\n`);
        } catch (err) {
          throw new UserError(
            'cannot_retry',
            errorMessage(err),
            'Only a dead digest can be retried; watchdesk outbox status lists them with their ids.',
          );
        }
      });
    });
}
