import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { complete, runCommand, runCommandText, runNextPage } from '../../src/commands/registry.js';
import type { CommandDeps, RawInput } from '../../src/commands/types.js';
import { replyText } from '../../src/render/index.js';
import { recordPollFailure } from '../../src/store/feeds.js';
import type { Sql } from '../../src/store/sql.js';
import { commandDeps, HOUR, invocation, NOW, seedStory } from '../helpers/command-fixtures.js';
import { tempDb } from '../helpers/db.js';

let t: ReturnType<typeof tempDb>;
let db: Sql;
let deps: CommandDeps & { logged: string[] };
beforeEach(() => {
  t = tempDb();
  db = t.sql;
  deps = commandDeps(db);
});
afterEach(() => t.close());

const run = (command: string, raw: RawInput = {}, inv = invocation()) => runCommand(deps, { command, raw, inv });

async function seedMany(n: number, topic = 'child-safety'): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      await seedStory(db, {
        title: `Lawmakers debate age verification bill number ${i + 1}`,
        topics: { [topic]: 0.8 },
        reports: [{ outlet: 'Wire', hoursAgo: 100 - i }],
      }),
    );
  }
  return ids;
}

describe('/digest latest', () => {
  it('with an empty store says there are no stories yet and when the next poll is', async () => {
    t.db
      .prepare('INSERT INTO feeds (url, name, interval_ms, next_poll_at, created_at) VALUES (?, ?, 900000, ?, 0)')
      .run('https://wire.example/feed.xml', 'Wire', NOW + 4 * 60_000);
    const r = await run('latest');
    expect(r.ephemeral).toBe(false);
    expect(replyText(r)).toContain('No stories yet.');
    expect(replyText(r)).toContain('Next poll: Tue 10 Mar, 12:04 UTC (in 4 min).');
  });

  it('shows the newest stories with summary, outlets and why, then "…and N more" and a next page', async () => {
    const ids = await seedMany(8);
    await seedStory(db, { title: 'Harbour ferry timetable', reports: [{ outlet: 'Wire', hoursAgo: 1 }] });
    const r = await run('latest', { count: 3 });
    const [section] = r.sections;
    expect(section?.entries.map((e) => e.storyId)).toEqual([ids[7], ids[6], ids[5]]);
    expect(section?.entries[0]).toMatchObject({
      summary: 'Summary: Lawmakers debate age verification bill number 8.',
      outlet: 'Wire',
      topics: [{ id: 'child-safety', name: 'Child online safety' }],
    });
    expect(r.notices).toContain('Stories 1–3 of 8');
    expect(r.footer).toBe('…and 5 more');
    expect(r.nextPage).toMatch(/^[\w-]{16}$/);

    // A story arriving between pages does not shift the list.
    await seedMany(1);
    const page2 = await runNextPage(deps, r.nextPage!, invocation());
    expect(page2.sections[0]?.entries.map((e) => e.storyId)).toEqual([ids[4], ids[3], ids[2]]);
    expect(page2.notices).toContain('Stories 4–6 of 8');
    const page3 = await runNextPage(deps, page2.nextPage!, invocation());
    expect(page3.sections[0]?.entries.map((e) => e.storyId)).toEqual([ids[1], ids[0]]);
    expect(page3.nextPage).toBeUndefined();
    expect(page3.footer).toBeUndefined();
  });

  it('narrows to a topic by id or name; an unknown topic suggests the closest', async () => {
    await seedMany(2, 'child-safety');
    const dsa = await seedStory(db, {
      title: 'Commission fines a marketplace',
      topics: { 'eu-dsa': 0.9 },
      reports: [{ outlet: 'Wire', hoursAgo: 2 }],
    });
    expect((await run('latest', { topic: 'eu-dsa' })).sections[0]?.entries.map((e) => e.storyId)).toEqual([dsa]);
    expect((await run('latest', { topic: 'EU Digital Services Act' })).title).toBe('Latest: EU Digital Services Act');
    const bad = await run('latest', { topic: 'child-safty' });
    expect(bad.ephemeral).toBe(true);
    expect(replyText(bad)).toContain('There is no topic "child-safty".');
    expect(replyText(bad)).toContain('Did you mean child-safety?');
  });

  it('a count out of range is refused with the right form; a large count is slow', async () => {
    const r = await run('latest', { count: 0 });
    expect(r.ephemeral).toBe(true);
    expect(replyText(r)).toContain('count must be a whole number from 1 to 20; 0 is out of range.');
    const { isSlow } = await import('../../src/commands/registry.js');
    expect(isSlow('latest', { count: 15 })).toBe(true);
    expect(isSlow('latest', { count: 5 })).toBe(false);
    expect(isSlow('search', { query: 'x' })).toBe(true);
  });

  it('an expired or unknown page token says to run the command again', async () => {
    const r = await runNextPage(deps, 'nope', invocation());
    expect(r.ephemeral).toBe(true);
    expect(replyText(r)).toContain('Run the command again');
  });
});

describe('/digest search, story, topics', () => {
  it('search ranks, keeps phrases, filters by since, and pages', async () => {
    const hit = await seedStory(db, {
      title: 'Court narrows Section 230 immunity',
      topics: { 'platform-liability': 0.9 },
      reports: [{ outlet: 'Wire', hoursAgo: 3 }],
    });
    await seedStory(db, {
      title: 'Section 9 of the zoning code, page 230',
      reports: [{ outlet: 'Ledger', hoursAgo: 2 }],
    });
    const r = await runCommandText(deps, 'search "section 230" since:7d', invocation());
    expect(r.title).toBe('Search: "section 230"');
    expect(r.sections[0]?.entries.map((e) => e.storyId)).toEqual([hit]);
    expect(r.notices[0]).toBe('1 story published in the last 7d, best match first');
    const none = await run('search', { query: '"section 230"', since: '1h' });
    expect(replyText(none)).toContain('No story published in the last 1h matches.');
    expect(replyText(none)).toContain('or a longer window (since:30d)');
    const bad = await run('search', { query: '"section 230"', since: 'last week' });
    expect(replyText(bad)).toContain('since must be a duration such as 24h or 7d, not "last week".');
    const empty = await run('search', { query: '*** ---' });
    expect(empty.error).toBeDefined();
    expect(replyText(empty)).toContain('has no words to search for');
  });

  it('story shows every outlet with its link and when it reported; an unknown id is refused', async () => {
    const id = await seedStory(db, {
      title: 'Ofcom sets out age check duties',
      topics: { 'child-safety': 0.7 },
      reports: [
        { outlet: 'Wire', hoursAgo: 5, url: 'https://wire.example/ofcom' },
        { outlet: 'Daily', hoursAgo: 3, url: 'https://daily.example/ofcom' },
      ],
    });
    const r = await run('story', { id });
    const text = replyText(r);
    expect(r.title).toBe(`Story ${id}`);
    expect(r.notices[0]).toBe('Reported 2 times by 2 outlets');
    expect(r.sections[1]?.rows).toEqual([
      {
        label: 'Wire',
        lines: [
          [{ text: 'Ofcom sets out age check duties', url: 'https://wire.example/ofcom' }],
          'reported 2026-03-10 07:00 UTC',
        ],
      },
      {
        label: 'Daily',
        lines: [
          [{ text: 'Ofcom sets out age check duties', url: 'https://daily.example/ofcom' }],
          'reported 2026-03-10 09:00 UTC',
        ],
      },
    ]);
    expect(text).toContain('Ofcom sets out age check duties');
    const missing = await run('story', { id: 999 });
    expect(missing.ephemeral).toBe(true);
    expect(replyText(missing)).toContain('There is no story 999.');
  });

  it('topics lists each name, query and 7-day count', async () => {
    await seedMany(3, 'child-safety');
    await seedStory(db, {
      title: 'Old DSA news',
      topics: { 'eu-dsa': 0.9 },
      reports: [{ outlet: 'Wire', hoursAgo: 8 * 24 }],
    });
    const r = await run('topics');
    const rows = r.sections[0]?.rows ?? [];
    expect(rows.map((row) => row.label)).toEqual([
      'Platform liability & Section 230 (platform-liability)',
      'Child online safety (child-safety)',
      'EU Digital Services Act (eu-dsa)',
    ]);
    expect(rows[1]?.lines[0]).toBe('3 stories');
    expect(rows[2]?.lines[0]).toBe('0 stories');
    expect(rows[1]?.lines[1]).toEqual(['Query: ', { code: 'KOSA OR "age verification"' }]);
  });

  it('sources shows ok, failing and disabled feeds, the last error and the last new item', async () => {
    await seedStory(db, { title: 'Wire story', reports: [{ outlet: 'Wire', hoursAgo: 3 }] });
    const failing = Number(
      await db.value('INSERT INTO feeds (url, name, interval_ms, created_at) VALUES (?, ?, 900000, 0) RETURNING id', [
        'https://down.example/rss',
        'Down',
      ]),
    );
    await recordPollFailure(db, failing, {
      now: NOW,
      nextPollAt: NOW + HOUR,
      kind: 'dns',
      message: 'cannot resolve host down.example: check the address',
      state: 'failing',
    });
    const r = await run('sources');
    expect(r.ephemeral).toBe(true);
    expect(r.notices[0]).toBe('2 feeds: 1 ok, 1 failing, 0 disabled.');
    expect(r.sections.map((s) => s.heading)).toEqual(['Failing', 'OK']);
    expect(r.sections[0]?.rows[0]).toMatchObject({
      label: 'Down',
      lines: [
        '1 failure in a row: cannot resolve host down.example: check the address',
        'No item yet.',
        expect.stringContaining('Next poll:'),
      ],
    });
    expect(r.sections[1]?.rows[0]?.lines[0]).toBe('Last new item 3 h ago.');
  });

  it('help lists every command with its form, and marks the admin ones', async () => {
    const r = await run(
      'help',
      {},
      invocation({ adminRule: 'the Manage Channels permission, or one of the roles: Editors' }),
    );
    expect(r.ephemeral).toBe(true);
    const labels = r.sections[0]?.rows.map((row) => row.label);
    expect(labels).toEqual([
      '/digest latest [topic] [count]',
      '/digest search <query> [since]',
      '/digest story <id>',
      '/digest topics',
      '/digest subscribe <topic> [schedule] [timezone] [mode]',
      '/digest unsubscribe <topic>',
      '/digest subscriptions',
      '/digest preview',
      '/digest sources',
      '/digest feed <action> <url>',
      '/digest help',
    ]);
    expect(replyText(r)).toContain('(admins)');
    expect(replyText(r)).toContain('Admins here: the Manage Channels permission, or one of the roles: Editors.');
  });
});

describe('autocomplete and failures', () => {
  it('completes topics (with all where allowed) and recent stories by title or id', async () => {
    const id = await seedStory(db, {
      title: 'Backpage founder sentenced',
      reports: [{ outlet: 'Wire', hoursAgo: 1 }],
    });
    expect(await complete(deps, { command: 'latest', option: 'topic', typed: 'saf' })).toEqual([
      { name: 'Child online safety (child-safety)', value: 'child-safety' },
    ]);
    expect((await complete(deps, { command: 'subscribe', option: 'topic', typed: '' }))[0]).toEqual({
      name: 'All topics',
      value: 'all',
    });
    expect(await complete(deps, { command: 'story', option: 'id', typed: 'backp' })).toEqual([
      { name: `#${id} Backpage founder sentenced`, value: id },
    ]);
    expect(await complete(deps, { command: 'story', option: 'id', typed: `#${id}` })).toHaveLength(1);
    expect(await complete(deps, { command: 'story', option: 'id', typed: '%_' })).toEqual([]);
  });

  it('an internal failure is logged with a reference and answered with an apology, not a stack', async () => {
    await db.close();
    const r = await run('topics');
    expect(r.ephemeral).toBe(true);
    const ref = /reference ([0-9a-f]{8})/.exec(replyText(r))?.[1];
    expect(ref).toBeDefined();
    expect(replyText(r)).not.toMatch(/Error|at \//);
    expect(deps.logged.join('\n')).toContain(ref!);
  });
});
