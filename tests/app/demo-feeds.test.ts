import { describe, expect, it } from 'vitest';
import { startDemoFeedServer } from '../../src/app/demo-feeds.js';
import { parseFeed } from '../../src/feeds/parse.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const FEEDS = ['capitol-ledger', 'harbor-tech', 'justice-wire', 'continental'];
const DAY = 86_400_000;

describe('the demo articles', () => {
  // Runs just after midnight, mid-day and late evening, on different weekdays: the events of the
  // last hours then fall on the day before, the same day, or straddle midnight.
  it.each(['2026-11-30T01:30:00Z', '2026-12-02T12:00:00Z', '2026-12-05T23:45:00Z'])(
    'name only weekdays that agree with the dates the demo gives them (run at %s)',
    async (iso) => {
      const now = Date.parse(iso);
      const server = await startDemoFeedServer(now);
      let mentions = 0;
      try {
        server.setPhase(2);
        for (const feed of FEEDS) {
          const url = `${server.base}/${feed}`;
          const parsed = parseFeed(await (await fetch(url)).text(), { url, now });
          for (const item of parsed.items) {
            const text = `${item.title} ${item.content}`;
            expect(text).not.toMatch(/\{day:/);
            const published = Date.parse(item.published);
            // "on Thursday" in an article is its own day or, for an event late the night before, the day before
            const allowed = [
              WEEKDAYS[new Date(published).getUTCDay()],
              WEEKDAYS[new Date(published - DAY).getUTCDay()],
            ];
            for (const day of text.match(/\b(?:Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day\b/g) ?? []) {
              mentions++;
              expect(allowed, `"${item.title}" dated ${item.published} says ${day}`).toContain(day);
            }
          }
        }
      } finally {
        await server.close();
      }
      expect(mentions).toBeGreaterThan(5);
    },
  );
});
