import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.js';
import { sqlOf } from '../../src/store/sql.js';
import { writeBeatConfig } from '../helpers/beat-config.js';
import { ROOT, spawnCli } from '../helpers/cli.js';
import { logRecords } from '../helpers/log.js';
import { DSA_PER_DAY, fillStatusStore, HOSTILE_TITLE, statusFeeds } from '../helpers/status-store.js';
import { until } from '../helpers/wait.js';

/** Debian's Chromium (apt-get install chromium; .ci/run installs it). Never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';
/** CI runs as root on a closed network. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
/** The text as rendered (cells apart, hidden text left out), which is what a person reads. */
// biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node
const shown = (l: Locator) => l.innerText();
const SCREENSHOT = path.join(ROOT, 'bench', 'results', 'status-page.png');

/**
 * The status page of a real `watchdesk start`, opened in a real browser: a store with feeds in
 * every state, two weeks of stories, a paused subscription and a dead part.
 */
describe('status page in Chromium', () => {
  let dir: string;
  let bot: ReturnType<typeof spawnCli>;
  let url = '';
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run apt-get install chromium (as .ci/run does)`);
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-browser-'));
    const config = writeBeatConfig(dir, {
      feeds: statusFeeds(),
      extra: { http: { port: 0 }, alerts: { channel: { platform: 'console', channel: 'ops' } } },
    });
    const db = openDb(path.join(dir, 'watchdesk.db'));
    await fillStatusStore(sqlOf(db), Date.now());
    db.close();
    bot = spawnCli(['--config', config, 'start']);
    const listening = () => logRecords(bot.output().stderr).find((r) => r.msg === 'http server listening');
    await until(() => listening() !== undefined || bot.child.exitCode !== null, 45_000, 50);
    url = String(listening()?.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (bot && bot.child.exitCode === null) {
      const exited = new Promise((resolve) => bot.child.once('exit', resolve));
      bot.child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows feeds, bar charts, the paused reason and a hostile title as text, runs no script; alerts reach the console', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const dialogs: string[] = [];
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${url}/`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);

    // feeds: one row each, with its state and the last error in plain words
    const feeds = page.locator('#feeds tbody tr');
    expect(await feeds.count()).toBe(4);
    expect(await shown(feeds.nth(0))).toMatch(/^Harbor Tech Review\s+ok/);
    expect(await shown(feeds.nth(2))).toMatch(/Flaky Gazette\s+failing[\s\S]*503 Service Unavailable/);
    expect(await shown(feeds.nth(3))).toMatch(/Gone Daily\s+disabled[\s\S]*watchdesk feeds enable/);

    // the chart: 14 bars, as tall as their counts, drawn on screen
    const bars = page.locator('figure[data-topic="eu-dsa"] rect.bar');
    expect(await bars.count()).toBe(14);
    const drawn = await bars.evaluateAll((rects) =>
      rects.map((r) => ({ stories: Number(r.getAttribute('data-stories')), height: r.getBoundingClientRect().height })),
    );
    expect(drawn.map((b) => b.stories)).toEqual(DSA_PER_DAY);
    for (const b of drawn) expect(b.height > 0).toBe(b.stories > 0);
    const tallest = drawn.reduce((a, b) => (b.stories > a.stories ? b : a));
    for (const b of drawn) expect(b.height).toBeLessThanOrEqual(tallest.height);

    // the paused subscription says why; the dead part says why
    expect(await shown(page.locator('#subscriptions .paused-reason'))).toContain('no DISCORD_TOKEN set');
    expect(await shown(page.locator('#outbox tbody'))).toContain('no discord sender is configured');

    // the hostile title is text on the page, and nothing ran
    expect(await shown(page.locator('#stories .story-title').first())).toBe(HOSTILE_TITLE);
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests.every((r) => r.startsWith(url))).toBe(true);

    // the running bot told its operator (alerts.channel is the console) about the same three problems
    const told = () => bot.output().stdout;
    await until(() => told().includes('could not be delivered'), 20_000, 50);
    expect(told()).toContain('**watchdesk alert: feed "Gone Daily" is disabled**');
    expect(told()).toMatch(/\*\*watchdesk alert: subscription \d+ \(discord:111222333\/222333444\) is paused\*\*/);
    expect(told()).toMatch(
      /\*\*watchdesk alert: digest \d+ for discord:111222333\/222333444 could not be delivered\*\*/,
    );

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
    await page.close();
  }, 60_000);
});
