import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/registry.js';
import type { CommandDeps, RawInput } from '../../src/commands/types.js';
import { plainLine, replyText } from '../../src/render/index.js';
import type { Sql } from '../../src/store/sql.js';
import {
  findSubscription,
  listSubscriptions,
  pauseSubscription,
  upsertSubscription,
} from '../../src/store/subscriptions.js';
import { commandDeps, invocation, NOW, seedStory } from '../helpers/command-fixtures.js';
import { tempDb } from '../helpers/db.js';

let t: ReturnType<typeof tempDb>;
let db: Sql;
let deps: CommandDeps;
let changed: number;
beforeEach(() => {
  t = tempDb();
  db = t.sql;
  changed = 0;
  deps = commandDeps(db, { subscriptionsChanged: () => changed++ });
});
afterEach(() => t.close());

const inv = invocation();
const run = (command: string, raw: RawInput = {}, at = inv) => runCommand(deps, { command, raw, inv: at });
const here = () => findSubscription(db, { platform: 'discord', workspace: inv.workspace, channel: inv.channel });

describe('/digest subscribe and unsubscribe', () => {
  it('subscribes, confirms with the next run in the channel time zone, and tells the scheduler', async () => {
    const r = await run('subscribe', {
      topic: 'child-safety',
      schedule: 'weekdays 08:30',
      timezone: 'America/Chicago',
    });
    expect(r.title).toBe('Subscribed');
    expect(r.ephemeral).toBe(false);
    const sub = (await here())!;
    expect(sub).toMatchObject({
      source: 'command',
      topics: ['child-safety'],
      schedule: 'weekdays 08:30',
      timezone: 'America/Chicago',
    });
    expect(r.notices.map(plainLine)).toEqual([
      `Subscription #${sub.id}: this channel gets Child online safety, weekdays 08:30 (America/Chicago).`,
      // NOW is Tue 10 Mar 2026 12:00 UTC = 07:00 in Chicago (CDT since 8 Mar): the next run is today.
      'Next digest: Tue 10 Mar, 08:30 America/Chicago (in 2 h)',
    ]);
    expect(changed).toBe(1);
  });

  it('subscribing again updates the one subscription and says what changed', async () => {
    await run('subscribe', { topic: 'child-safety' });
    const again = await run('subscribe', { topic: 'eu-dsa', schedule: 'daily 07:00', mode: 'instant' });
    expect(again.title).toBe('Subscription updated');
    const lines = again.notices.map(plainLine);
    expect(lines).toContain('Topics: Child online safety → Child online safety, EU Digital Services Act');
    expect(lines).toContain('Schedule: daily 09:00 → daily 07:00');
    expect(lines).toContain('Mode: digest → instant');
    expect(lines).toContain('New stories are posted within one poll cycle.');
    expect(await listSubscriptions(db)).toHaveLength(1);
    const same = await run('subscribe', { topic: 'eu-dsa' });
    expect(same.title).toBe('Already subscribed');
    // One spelling per schedule: the same time typed another way changes nothing.
    await run('subscribe', { topic: 'eu-dsa', schedule: 'Weekly  MONDAY 7:05' });
    expect((await here())?.schedule).toBe('weekly mon 07:05');
    expect((await run('subscribe', { topic: 'eu-dsa', schedule: 'weekly mon 07:05' })).title).toBe(
      'Already subscribed',
    );
    expect(await listSubscriptions(db)).toHaveLength(1);
  });

  it('a thread gets its own subscription', async () => {
    await run('subscribe', { topic: 'all' });
    await run('subscribe', { topic: 'eu-dsa' }, invocation({ thread: '1400000000000000009' }));
    expect((await listSubscriptions(db)).map((s) => s.thread)).toEqual(['', '1400000000000000009']);
  });

  it('bad schedules, time zones and topics are refused with what to type', async () => {
    const schedule = await run('subscribe', { topic: 'all', schedule: 'daily 25:00' });
    expect(schedule.ephemeral).toBe(true);
    expect(schedule.title).toBe('Bad schedule');
    expect(replyText(schedule)).toContain('schedule: expected a preset');
    expect(replyText(schedule)).toContain('found "daily 25:00"');
    expect(replyText(schedule)).toContain('/digest subscribe all schedule:"weekdays 08:30" timezone:Europe/London');
    const zone = await run('subscribe', { topic: 'all', timezone: 'Mars/Olympus' });
    expect(zone.title).toBe('Bad time zone');
    expect(replyText(zone)).toContain('an IANA time zone such as Europe/London');
    const topic = await run('subscribe', { topic: 'kids' });
    expect(replyText(topic)).toContain('There is no topic "kids".');
    expect(await listSubscriptions(db)).toHaveLength(0);
    expect(changed).toBe(0);
  });

  it('is for admins only: a refusal says which permission is missing', async () => {
    const nobody = invocation({
      user: { id: '9', admin: false },
      adminRule: 'the Manage Channels permission, or one of the roles: Editors',
    });
    const r = await run('subscribe', { topic: 'all' }, nobody);
    expect(r.ephemeral).toBe(true);
    expect(replyText(r)).toContain(
      'Only admins may use /digest subscribe: you need the Manage Channels permission, or one of the roles: Editors.',
    );
    expect((await run('unsubscribe', { topic: 'all' }, nobody)).title).toBe('Admins only');
    expect(await listSubscriptions(db)).toHaveLength(0);
    // Reading stays open to everyone.
    expect((await run('subscriptions', {}, nobody)).error).toBeUndefined();
  });

  it('unsubscribe removes one topic, then all; "all" minus a topic keeps the others', async () => {
    await run('subscribe', { topic: 'all' });
    const one = await run('unsubscribe', { topic: 'eu-dsa' });
    expect(one.notices.map(plainLine)[0]).toBe('This channel no longer gets EU Digital Services Act.');
    expect((await here())?.topics).toEqual(['platform-liability', 'child-safety']);
    const notThere = await run('unsubscribe', { topic: 'eu-dsa' });
    expect(replyText(notThere)).toContain('not EU Digital Services Act');
    const all = await run('unsubscribe', { topic: 'all' });
    expect(all.title).toBe('Unsubscribed');
    expect(await here()).toBeUndefined();
    expect(replyText(await run('unsubscribe', { topic: 'all' }))).toContain('This channel has no subscription.');
  });

  it('a paused subscription shows its reason, and subscribe resumes it', async () => {
    await run('subscribe', { topic: 'all' });
    const id = (await here())!.id;
    expect(
      await pauseSubscription(db, id, 'missing access (Discord 50001): the bot cannot see this channel', NOW),
    ).toBe(true);
    const list = await run('subscriptions');
    expect(list.ephemeral).toBe(true);
    expect(list.notices[0]).toBe('1 subscription in this channel, 1 paused.');
    expect(replyText(list)).toContain('Paused: missing access (Discord 50001): the bot cannot see this channel.');
    const sources = await run('sources');
    expect(replyText(sources)).toContain('Paused subscriptions');
    const resumed = await run('subscribe', { topic: 'all' });
    expect(resumed.notices.map(plainLine)).toContain(
      'Resumed: it was paused because missing access (Discord 50001): the bot cannot see this channel.',
    );
    expect((await here())?.pausedReason).toBeNull();
  });

  it('a subscription from the config file is changed there; a paused one can still be resumed here', async () => {
    const base = {
      platform: 'discord' as const,
      workspace: inv.workspace,
      channel: inv.channel,
      topics: 'all' as const,
    };
    const id = await upsertSubscription(
      db,
      { ...base, schedule: 'daily 09:00', timezone: 'UTC', mode: 'digest', maxItems: 10, minScore: 0 },
      { source: 'config', now: NOW },
    );
    const refused = await run('subscribe', { topic: 'eu-dsa' });
    expect(refused.title).toBe('Set in the config file');
    expect((await run('unsubscribe', { topic: 'all' })).title).toBe('Set in the config file');
    await pauseSubscription(db, id, 'channel not found (Discord 10003)', NOW);
    const resumed = await run('subscribe', { topic: 'all' });
    expect(resumed.title).toBe('Subscription resumed');
    expect(await here()).toMatchObject({ source: 'config', pausedReason: null });
  });
});

describe('/digest preview and subscriptions', () => {
  it('preview shows what the next digest would hold, only to the asker, and posts nothing', async () => {
    expect(replyText(await run('preview'))).toContain('This channel has no subscription.');
    await run('subscribe', { topic: 'child-safety' });
    const empty = await run('preview');
    expect(empty.notices.map(plainLine)).toContain(
      'Nothing new since the last digest: the next run would post nothing.',
    );
    await seedStory(db, {
      title: 'KOSA vote scheduled',
      topics: { 'child-safety': 0.9 },
      reports: [{ outlet: 'Wire', hoursAgo: 1 }],
    });
    await seedStory(db, {
      title: 'DSA case opened',
      topics: { 'eu-dsa': 0.9 },
      reports: [{ outlet: 'Wire', hoursAgo: 1 }],
    });
    const r = await run('preview');
    expect(r.ephemeral).toBe(true);
    expect(r.sections.map((s) => s.heading)).toEqual(['Child online safety']);
    expect(r.sections[0]?.entries.map((e) => e.title)).toEqual(['KOSA vote scheduled']);
    expect(r.notices.map(plainLine)).toContain('The next digest would hold 1 story:');
    expect(t.db.prepare('SELECT count(*) FROM digests').pluck().get()).toBe(0);
  });

  it('subscriptions lists the channel and its threads with next runs', async () => {
    expect(replyText(await run('subscriptions'))).toContain('This channel has no subscriptions.');
    await run('subscribe', { topic: 'all', schedule: 'hourly' });
    await run('subscribe', { topic: 'eu-dsa', mode: 'instant' }, invocation({ thread: '1400000000000000009' }));
    const r = await run('subscriptions');
    expect(r.sections[0]?.rows.map((row) => [row.label, ...row.lines.map(plainLine)])).toEqual([
      [
        expect.stringMatching(/^#\d+ in this channel$/),
        'all topics; hourly (UTC)',
        'Next digest: Tue 10 Mar, 13:00 UTC (in 60 min)',
      ],
      [
        expect.stringMatching(/^#\d+ in thread 1400000000000000009$/),
        'EU Digital Services Act; instant (each new story, as it comes)',
        'New stories are posted within one poll cycle.',
      ],
    ]);
  });
});
