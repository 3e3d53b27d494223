import { describe, expect, it } from 'vitest';
import { discordCommandDefinitions } from '../../src/commands/discord-definitions.js';
import { COMMANDS } from '../../src/commands/registry.js';

describe('the registry and the Discord command definitions generated from it', () => {
  const [digest] = discordCommandDefinitions(COMMANDS);

  it('is one /digest with a subcommand per registered command, everyone allowed to see it', () => {
    expect(digest?.name).toBe('digest');
    expect(digest?.options.map((o) => o.name)).toEqual(COMMANDS.map((c) => c.name));
    expect(digest?.options.map((o) => o.name)).toEqual(
      expect.arrayContaining([
        'latest',
        'search',
        'story',
        'topics',
        'subscribe',
        'unsubscribe',
        'subscriptions',
        'preview',
        'sources',
        'help',
      ]),
    );
    expect(digest).not.toHaveProperty('default_member_permissions');
    expect(digest?.contexts).toEqual([0]);
  });

  it('keeps within what Discord accepts', () => {
    const all = [digest!, ...digest!.options, ...digest!.options.flatMap((o) => o.options ?? [])];
    for (const o of all) {
      expect(o.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(o.description.length).toBeGreaterThan(0);
      expect(o.description.length).toBeLessThanOrEqual(100);
    }
    expect(digest!.options.length).toBeLessThanOrEqual(25);
    for (const sub of digest!.options) {
      const opts = sub.options ?? [];
      expect(opts.length).toBeLessThanOrEqual(25);
      // Required options come first, as Discord demands.
      const firstOptional = opts.findIndex((o) => !o.required);
      expect(opts.slice(firstOptional === -1 ? opts.length : firstOptional).every((o) => !o.required)).toBe(true);
      for (const o of opts) expect(o.autocomplete && o.choices).toBeFalsy();
    }
  });

  it('carries the ranges, lengths, choices and autocomplete the registry validates', () => {
    const sub = (name: string) => digest!.options.find((o) => o.name === name)!;
    expect(sub('latest').options).toEqual([
      { type: 3, name: 'topic', description: 'only this topic', autocomplete: true },
      { type: 4, name: 'count', description: 'how many stories (1–20, default 5)', min_value: 1, max_value: 20 },
    ]);
    expect(sub('story').options?.[0]).toMatchObject({
      type: 4,
      name: 'id',
      required: true,
      autocomplete: true,
      min_value: 1,
    });
    expect(sub('search').options?.[0]).toMatchObject({ type: 3, name: 'query', required: true, max_length: 200 });
    expect(sub('subscribe').options?.find((o) => o.name === 'mode')?.choices).toEqual([
      { name: 'digest', value: 'digest' },
      { name: 'instant', value: 'instant' },
    ]);
    expect(sub('subscribe').description).toMatch(/\(admins\)$/);
  });

  it('has at most one free-text option per command', () => {
    for (const c of COMMANDS) expect(c.options.filter((o) => o.rest).length).toBeLessThanOrEqual(1);
  });
});
