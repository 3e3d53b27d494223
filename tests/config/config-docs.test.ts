import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configReference, durationText } from '../../src/config/config-docs.js';
import { PROJECT_ROOT } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';

/** Issue 13: the configuration reference is generated from the zod schema, and the committed copy stays in step. */
describe('docs/config.md', () => {
  const doc = configReference();

  it('is the committed file (run npm run schema after changing src/config/schema.ts)', () => {
    expect(readFileSync(path.join(PROJECT_ROOT, 'docs', 'config.md'), 'utf8')).toBe(doc);
  });

  it('has a row for every key of every section, with its default as written in YAML', () => {
    for (const section of Object.keys(configSchema.shape)) expect(doc).toContain(`\n## ${section}\n`);
    expect(doc).toContain('| `store.retention` | duration | `180d` |');
    expect(doc).toContain('| `fetch.allowPrivateNetworks` | boolean | `false` |');
    expect(doc).toContain('| `polling.defaultInterval` | duration | `15m` |');
    expect(doc).toContain('| `feeds[].url` | URL |  | The feed URL (RSS, Atom or JSON Feed). **Required.** |');
    expect(doc).toContain('| `topics.<id>.query` | string |');
    // every row has a description a person can act on
    expect(doc).not.toMatch(/\| {2}\|\n/);
  });

  it('writes durations in the largest whole unit', () => {
    expect([20_000, 900_000, 86_400_000, 15_552_000_000, 1_500].map(durationText)).toEqual([
      '20s',
      '15m',
      '1d',
      '180d',
      '1.5s',
    ]);
  });
});
