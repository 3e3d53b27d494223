import { describe, expect, it } from 'vitest';
import { jobsSchemaOf, jobsTargetOf } from '../../src/store/jobs-target.js';

describe("the job queue's schema beside the store's", () => {
  it.each([
    [undefined, 'pgboss'],
    ['public', 'pgboss'],
    ['watchdesk', 'watchdesk_jobs'],
    ['wd_test_65f0a1b2_0123456789', 'wd_test_65f0a1b2_0123456789_jobs'],
  ])('store schema %s → %s', (store, jobs) => {
    expect(jobsSchemaOf(store)).toBe(jobs);
  });

  it('keeps a long schema within pg-boss’s 50 characters, two long names apart', () => {
    const a = jobsSchemaOf(`${'a'.repeat(50)}_one`);
    const b = jobsSchemaOf(`${'a'.repeat(50)}_two`);
    expect(a.length).toBeLessThanOrEqual(50);
    expect(a).toMatch(/^a{36}_[0-9a-f]{8}_jobs$/);
    expect(a).not.toBe(b);
  });

  it("connects as the store's URL says, without ?schema= (pg-boss names its own schema)", () => {
    const t = jobsTargetOf('postgres://bot:pw@db.example:5433/news?schema=beat');
    expect(t.schema).toBe('beat_jobs');
    const u = new URL(t.connectionString);
    expect([u.username, u.password, u.hostname, u.port, u.pathname]).toEqual([
      'bot',
      'pw',
      'db.example',
      '5433',
      '/news',
    ]);
    expect(u.searchParams.get('schema')).toBeNull();
  });
});
