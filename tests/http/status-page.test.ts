import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_DAYS, collectStatus, type StatusSnapshot } from '../../src/http/status.js';
import { esc, renderStatusPage } from '../../src/http/status-page.js';
import { tempDb } from '../helpers/db.js';
import { DSA_PER_DAY, fillStatusStore, HOSTILE_TITLE } from '../helpers/status-store.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

describe('status page: what the store holds, rendered safely', () => {
  const t = tempDb();
  let snap: StatusSnapshot;

  beforeAll(async () => {
    await fillStatusStore(t.sql, NOW);
    snap = await collectStatus({
      db: t.sql,
      botName: 'watchdesk',
      topics: [
        { id: 'eu-dsa', name: 'EU Digital Services Act' },
        { id: 'uk-osa', name: 'UK Online Safety Act' },
      ],
      pausedReason: (s) => (s.platform === 'discord' ? 'no DISCORD_TOKEN set' : null),
      now: () => NOW,
    });
  });

  afterAll(() => t.close());

  it('feeds: state, last error in plain words, last new item, next poll (none when disabled)', () => {
    expect(snap.feeds.map((f) => [f.name, f.state])).toEqual([
      ['Harbor Tech Review', 'ok'],
      ['Justice Wire', 'ok'],
      ['Flaky Gazette', 'failing'],
      ['Gone Daily', 'disabled'],
    ]);
    expect(snap.feeds[2]!.lastError).toContain('503 Service Unavailable');
    expect(snap.feeds[0]!.lastNewItemAt).toBeLessThanOrEqual(NOW);
    expect(snap.feeds[3]!.lastNewItemAt).toBeNull();
    expect(snap.feeds[3]!.nextPollAt).toBeNull();
    expect(snap.feeds[2]!.nextPollAt).toBe(NOW + 3_600_000);
  });

  it('topics: 14 days of matched stories per topic, today last, empty days as zero', () => {
    const dsa = snap.topics.find((x) => x.id === 'eu-dsa')!;
    expect(dsa.days).toHaveLength(CHART_DAYS);
    expect(dsa.days.map((d) => d.stories)).toEqual(DSA_PER_DAY);
    expect(dsa.days.at(-1)!.day).toBe('2026-11-28');
    expect(snap.topics.find((x) => x.id === 'uk-osa')!.days.every((d) => d.stories === 0)).toBe(true);
  });

  it('subscriptions: next run, or paused and why; outbox: the dead part with its reason', () => {
    const discord = snap.subscriptions.find((s) => s.channel.startsWith('discord:'))!;
    expect(discord).toMatchObject({ paused: 'no DISCORD_TOKEN set', nextRunAt: null });
    const console = snap.subscriptions.find((s) => s.channel === 'console:ops-room')!;
    expect(console.paused).toBeNull();
    expect(console.nextRunAt).toBe(Date.UTC(2026, 10, 29, 9, 0, 0));
    expect(snap.outbox.dead).toEqual([
      expect.objectContaining({
        part: '1/1',
        channel: 'discord:111222333/222333444',
        reason: expect.stringContaining('DISCORD_TOKEN'),
      }),
    ]);
  });

  it('the last 20 stories, newest first, with their outlets', () => {
    expect(snap.stories).toHaveLength(DSA_PER_DAY.reduce((a, b) => a + b, 0) + 1);
    expect(snap.stories[0]!.title).toBe(HOSTILE_TITLE);
    expect(snap.stories[0]!.outlets).toEqual(['Harbor Tech Review']);
    const times = snap.stories.map((s) => s.firstSeenAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('draws one bar per day, as tall as its count, and escapes every feed-supplied text', () => {
    const html = renderStatusPage(snap);
    const bars = [...html.matchAll(/data-topic="eu-dsa"[\s\S]*?<\/figure>/g)][0]![0];
    const heights = [...bars.matchAll(/height="(\d+)" data-day="[\d-]+" data-stories="(\d+)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(heights.map(([, n]) => n)).toEqual(DSA_PER_DAY);
    for (const [h, n] of heights) expect(h! > 0).toBe(n! > 0);
    expect(heights.find(([, n]) => n === 3)![0]).toBeGreaterThan(heights.find(([, n]) => n === 1)![0]!);
    expect(html).not.toContain(HOSTILE_TITLE);
    expect(html).toContain(esc(HOSTILE_TITLE));
  });

  it('turns only http(s) links into anchors', () => {
    const html = renderStatusPage({
      ...snap,
      stories: [
        { id: 1, title: 'bad', url: 'javascript:alert(1)', firstSeenAt: NOW, itemCount: 1, outlets: ['x'] },
        { id: 2, title: 'good', url: 'https://ok.example/a?b=1&c="2"', firstSeenAt: NOW, itemCount: 1, outlets: ['y'] },
      ],
    });
    expect(html).not.toContain('javascript:');
    expect(html).toContain('href="https://ok.example/a?b=1&amp;c=&quot;2&quot;"');
  });
});
