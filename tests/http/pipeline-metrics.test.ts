import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsoleSender } from '../../src/chat/console/sender.js';
import { runCommand } from '../../src/commands/registry.js';
import { deliverPending, enqueueDigest } from '../../src/delivery/outbox.js';
import { createMetrics } from '../../src/http/metrics.js';
import { silentLogger } from '../../src/log.js';
import type { RenderedPart } from '../../src/render/types.js';
import { outboxStatus } from '../../src/store/outbox.js';
import { oldestPendingPartAt } from '../../src/store/status.js';
import { addSubscription, consoleParts } from '../delivery/fixtures.js';
import { commandDeps, invocation } from '../helpers/command-fixtures.js';
import { tempDb } from '../helpers/db.js';

describe('what the pipeline reports, in /metrics', () => {
  const t = tempDb();
  afterAll(() => t.close());

  it('observes each /digest command that runs, once per answer, by command', async () => {
    const metrics = createMetrics({ outbox: () => ({ pendingParts: 0, oldestPendingSeconds: 0 }) });
    const deps = { ...commandDeps(t.sql), metrics };
    await runCommand(deps, { command: 'latest', raw: {}, inv: invocation() });
    await runCommand(deps, { command: 'latest', raw: {}, inv: invocation() });
    await runCommand(deps, { command: 'topics', raw: {}, inv: invocation() });
    await runCommand(deps, { command: 'story', raw: { id: 999_999 }, inv: invocation() });
    const text = await metrics.render();
    expect(text).toContain('watchdesk_command_duration_seconds_count{command="latest"} 2');
    expect(text).toContain('watchdesk_command_duration_seconds_count{command="topics"} 1');
    expect(text).toContain('watchdesk_command_duration_seconds_count{command="story"} 1');
    expect(text).toMatch(/watchdesk_command_duration_seconds_bucket\{le="\+Inf",command="latest"\} 2/);
  });

  it('counts parts and digests delivered and dead, and reads the outbox depth and age at scrape time', async () => {
    let now = Date.UTC(2026, 10, 28, 12, 0, 0);
    const metrics = createMetrics({
      outbox: async () => {
        const oldest = await oldestPendingPartAt(t.sql);
        return {
          pendingParts: (await outboxStatus(t.sql)).pendingParts,
          oldestPendingSeconds: oldest === null ? 0 : (now - oldest) / 1000,
        };
      },
    });
    const sub = await addSubscription(t.sql, { platform: 'console', channel: 'ops', thread: '' });
    const gone = await addSubscription(t.sql, { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '' });
    const digest = (subscriptionId: number, parts: RenderedPart[]) =>
      enqueueDigest(t.sql, { subscriptionId, parts, cursorFrom: 0, cursorTo: 0, storyCount: 1, now });
    await digest(sub, consoleParts('part one', 'part two'));
    await digest(gone, [
      { platform: 'slack', payload: { text: 'x', blocks: [], unfurl_links: false, unfurl_media: false } },
    ]);
    now += 90_000;
    const before = await metrics.render();
    expect(before).toContain('watchdesk_outbox_pending_parts 3');
    expect(before).toContain('watchdesk_outbox_oldest_pending_age_seconds 90');
    await deliverPending({
      db: t.sql,
      senders: { console: createConsoleSender({ out: new PassThrough() }) },
      now: () => now,
      log: silentLogger,
      metrics,
      targetFor: (id) =>
        id === sub
          ? { platform: 'console', workspace: '', channel: 'ops', thread: '' }
          : { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '' },
    });
    const after = await metrics.render();
    expect(after).toContain('watchdesk_digest_parts_total{platform="console",outcome="delivered"} 2');
    expect(after).toContain('watchdesk_digests_total{platform="console",outcome="delivered"} 1');
    expect(after).toContain('watchdesk_digest_parts_total{platform="slack",outcome="dead"} 1');
    expect(after).toContain('watchdesk_digests_total{platform="slack",outcome="dead"} 1');
    expect(after).toContain('watchdesk_outbox_pending_parts 0');
    expect(after).toContain('watchdesk_outbox_oldest_pending_age_seconds 0');
  });
});
