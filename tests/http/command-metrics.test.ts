import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/registry.js';
import { createMetrics } from '../../src/http/metrics.js';
import { commandDeps, invocation } from '../helpers/command-fixtures.js';
import { tempDb } from '../helpers/db.js';

describe('command latency in /metrics', () => {
  const t = tempDb();
  afterAll(() => t.close());

  it('observes each /digest command that runs, once per answer, by command', async () => {
    const metrics = createMetrics({ outbox: () => ({ pendingParts: 0, oldestPendingSeconds: 0 }) });
    const deps = { ...commandDeps(t.db), metrics };
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
});
