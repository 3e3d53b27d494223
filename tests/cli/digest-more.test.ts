import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { runCommandText } from '../../src/commands/registry.js';
import { loadConfig } from '../../src/config/load.js';
import { deliverPending } from '../../src/delivery/outbox.js';
import { silentLogger } from '../../src/log.js';
import { runSubscription } from '../../src/pipeline/digests.js';
import { replyText } from '../../src/render/index.js';
import { listSubscriptions } from '../../src/store/subscriptions.js';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { runCli } from '../helpers/cli.js';
import { addAnnouncedStory } from '../helpers/stories.js';

const TITLES = [
  'Commission opens Digital Services Act case against a marketplace',
  'Digital Services Act audit reports published for the largest platforms',
  'Brussels fines a search engine under the Digital Services Act',
  'Digital Services Act researchers win access to platform data',
];

describe('the "…and N more" line of a capped digest', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-more-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a command that exists where the digest is read, and it lists the stories the cap left out', async () => {
    const config = writeBeatConfig(dir, {
      feeds: [],
      extra: {
        subscriptions: [{ platform: 'console', channel: 'desk', topics: 'all', schedule: 'hourly', maxItems: 1 }],
      },
    });
    const out = new PassThrough();
    let digest = '';
    out.on('data', (c: Buffer) => {
      digest += c.toString();
    });
    const app = await createApp(loadConfig({ file: config, env: { secrets: {} } }), {
      log: silentLogger,
      consoleOut: out,
    });
    let latest = '';
    try {
      for (const [i, title] of TITLES.entries()) await addAnnouncedStory(app.db, `dsa-${i}`, title);
      expect((await runSubscription(app.digestDeps, (await listSubscriptions(app.db))[0]!)).status).toBe('enqueued');
      await deliverPending(app.deliverDeps);
      // What the chat line names, run as a person in Discord or Slack would type it.
      const reply = await runCommandText(
        { db: app.db, config: app.config, now: () => Date.now(), log: silentLogger },
        'latest eu-dsa',
        {
          platform: 'slack',
          workspace: 'T1',
          channel: 'C1',
          thread: '',
          user: { id: 'U1', admin: false },
          adminRule: '',
        },
      );
      latest = replyText(reply);
    } finally {
      await app.close();
    }
    // On the console (no /digest there) the line names the CLI.
    const line = /…and 3 more: `watchdesk ([^`]+)`/.exec(digest);
    expect(line?.[1]).toBe('digest --topics eu-dsa');
    const shown = TITLES.filter((t) => digest.includes(t));
    expect(shown).toHaveLength(1);
    const run = await runCli(['--config', config, ...line![1]!.split(' ')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const title of TITLES) expect(run.stdout).toContain(title);

    // In Discord and Slack it names /digest latest <topic>, which lists what the cap left out.
    for (const format of ['discord-json', 'slack-json']) {
      const preview = await runCli(['--config', config, 'digest', '--format', format, '--max', '1']);
      expect(preview.code).toBe(0);
      expect(preview.stdout).toContain('…and 3 more: `/digest latest eu-dsa`');
      expect(preview.stdout).not.toContain('watchdesk digest --topics');
    }
    for (const title of TITLES) expect(latest).toContain(title);
  });
});
