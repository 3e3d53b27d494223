import { describe, expect, it } from 'vitest';
import { validateInput } from '../../src/commands/input.js';
import { COMMANDS } from '../../src/commands/registry.js';
import { parseCommandText, splitWords } from '../../src/commands/text-parser.js';
import { replyText } from '../../src/render/index.js';

/** Parse then validate, as the registry does for Slack: the input a command would receive. */
function inputOf(text: string) {
  const parsed = parseCommandText(text, COMMANDS);
  if (!parsed.ok) return { error: replyText(parsed.reply) };
  const checked = validateInput(parsed.command, parsed.raw);
  return checked.ok ? { command: parsed.command.name, input: checked.input } : { error: replyText(checked.reply) };
}

describe("Slack's command text becomes the same input as Discord's options", () => {
  it.each([
    ['search "section 230" since:7d', { command: 'search', input: { query: '"section 230"', since: '7d' } }],
    ['search section 230 since:7d', { command: 'search', input: { query: 'section 230', since: '7d' } }],
    [
      'search since:24h “age verification” KOSA',
      { command: 'search', input: { query: '"age verification" KOSA', since: '24h' } },
    ],
    ['search title:Backpage', { command: 'search', input: { query: 'title:Backpage' } }],
    ['latest', { command: 'latest', input: {} }],
    ['latest child-safety 10', { command: 'latest', input: { topic: 'child-safety', count: 10 } }],
    ['latest 3', { command: 'latest', input: { count: 3 } }],
    ['LATEST count:7 topic:eu-dsa', { command: 'latest', input: { topic: 'eu-dsa', count: 7 } }],
    ['story 42', { command: 'story', input: { id: 42 } }],
    ['subscribe all', { command: 'subscribe', input: { topic: 'all' } }],
    [
      'subscribe child-safety weekdays 08:30 Europe/London instant',
      {
        command: 'subscribe',
        input: { topic: 'child-safety', schedule: 'weekdays 08:30', timezone: 'Europe/London', mode: 'instant' },
      },
    ],
    [
      'subscribe all weekly mon 09:00 America/New_York',
      { command: 'subscribe', input: { topic: 'all', schedule: 'weekly mon 09:00', timezone: 'America/New_York' } },
    ],
    [
      'subscribe all schedule:"0 9 * * 1-5" timezone:UTC',
      { command: 'subscribe', input: { topic: 'all', schedule: '0 9 * * 1-5', timezone: 'UTC' } },
    ],
    ['subscribe all 0 9 * * 1-5', { command: 'subscribe', input: { topic: 'all', schedule: '0 9 * * 1-5' } }],
    ['subscribe kosa mode:DIGEST', { command: 'subscribe', input: { topic: 'kosa', mode: 'digest' } }],
    ['unsubscribe all', { command: 'unsubscribe', input: { topic: 'all' } }],
    ['', { command: 'help', input: {} }],
    ['  help  ', { command: 'help', input: {} }],
  ])('%s', (text, expected) => {
    expect(inputOf(text)).toEqual(expected);
  });

  it('bad input says what was wrong and shows the right form', () => {
    expect(inputOf('latest count:50').error).toMatch(/count must be a whole number from 1 to 20; 50 is out of range/);
    expect(inputOf('latest count:50').error).toContain('/digest latest [topic] [count]');
    expect(inputOf('story abc').error).toMatch(/id must be a whole number of at least 1, not "abc"/);
    expect(inputOf('story').error).toContain('/digest story is missing its id: the story number');
    expect(inputOf('search').error).toContain('/digest search <query> [since]');
    expect(inputOf('search since:7d').error).toContain('/digest search is missing its query');
    expect(inputOf('subscribe kosa mode:often').error).toMatch(/mode must be one of digest, instant, not "often"/);
    expect(inputOf('subscribe').error).toContain(
      'for example /digest subscribe child-safety schedule:"weekdays 08:30"',
    );
  });

  it('an unknown subcommand suggests the nearest one', () => {
    const r = inputOf('lastest kosa');
    expect(r.error).toContain('/digest has no command "lastest"');
    expect(r.error).toContain('Did you mean /digest latest [topic] [count]?');
    expect(inputOf('frobnicate').error).toContain('/digest help');
  });

  it('quotes group words, curly quotes count, an unclosed quote runs to the end', () => {
    expect(splitWords('a "b c" d').map((w) => w.value)).toEqual(['a', 'b c', 'd']);
    expect(splitWords('a "b c" d').map((w) => w.raw)).toEqual(['a', '"b c"', 'd']);
    expect(splitWords('x “two words”').map((w) => w.value)).toEqual(['x', 'two words']);
    expect(splitWords('x "open ended').map((w) => w.value)).toEqual(['x', 'open ended']);
    expect(splitWords('  \t ')).toEqual([]);
  });
});
