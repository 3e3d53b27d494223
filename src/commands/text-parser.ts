/**
 * Slack's command text (`search "section 230" since:7d`) → a command and raw option values, for the same
 * validation Discord's typed options go through. The syntax mirrors the Discord options: the first word is the
 * subcommand; `name:value` sets an option by name; other words fill the options in order, quotes group words.
 */
import { closest } from './closest.js';
import { usage } from './input.js';
import { code, errorReply, type Reply, type Span } from './reply.js';
import type { CommandDef, OptionDef, RawInput } from './types.js';

export type ParsedText = { ok: true; command: CommandDef; raw: RawInput } | { ok: false; reply: Reply };

interface Word {
  /** As typed, quotes included. */
  raw: string;
  /** Quotes removed. */
  value: string;
}

export function parseCommandText(text: string, commands: readonly CommandDef[]): ParsedText {
  const words = splitWords(text);
  const name = (words.shift()?.value ?? 'help').toLowerCase();
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const guess = closest(
      name,
      commands.map((c) => c.name),
    );
    return {
      ok: false,
      reply: errorReply(
        'Unknown command',
        `/digest has no command "${name}".`,
        guess.length > 0
          ? ['Did you mean ', code(usage(commands.find((c) => c.name === guess[0]) as CommandDef)), '? ', ...helpHint()]
          : helpHint(),
      ),
    };
  }
  return { ok: true, command, raw: assign(command, words) };
}

/**
 * Splits on whitespace outside double quotes. Curly quotes count as straight ones: phones and some keyboards
 * type them for you. An unclosed quote runs to the end.
 */
export function splitWords(text: string): Word[] {
  const s = text.replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"').trim();
  const words: Word[] = [];
  let raw = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (raw) words.push(word(raw));
      raw = '';
      continue;
    }
    raw += ch;
  }
  if (raw) words.push(word(raw));
  return words;
}

function word(raw: string): Word {
  return { raw, value: raw.replace(/"/g, '') };
}

function assign(command: CommandDef, words: Word[]): RawInput {
  const raw: RawInput = {};
  const positional: Word[] = [];
  for (const w of words) {
    const m = /^([a-z]+):(.+)$/is.exec(w.raw);
    const opt = m ? command.options.find((o) => o.name === m[1]?.toLowerCase()) : undefined;
    if (m && opt) raw[opt.name] = opt.rest ? (m[2] as string) : (m[2] as string).replace(/"/g, '');
    else positional.push(w);
  }
  const rest = command.options.find((o) => o.rest);
  if (rest) {
    // Every free word belongs to the free-text option; the others are set by name.
    if (positional.length > 0 && raw[rest.name] === undefined) raw[rest.name] = positional.map((w) => w.raw).join(' ');
    return raw;
  }
  const open = command.options.filter((o) => raw[o.name] === undefined);
  let i = 0;
  while (i < positional.length) {
    const w = positional[i] as Word;
    const opt = pickOption(open, w);
    if (!opt) {
      // More words than options: hand them to the last option so validation reports the whole value.
      const last = command.options.at(-1);
      if (last) raw[last.name] = `${String(raw[last.name] ?? '')} ${w.value}`.trim();
      i++;
      continue;
    }
    open.splice(open.indexOf(opt), 1);
    const n = Math.max(1, Math.min(opt.span?.(positional.slice(i).map((p) => p.value)) ?? 1, positional.length - i));
    raw[opt.name] = positional
      .slice(i, i + n)
      .map((p) => p.value)
      .join(' ');
    i += n;
  }
  return raw;
}

/** A bare number fills the first open whole-number option (`latest 5` is a count); other words go in order. */
function pickOption(open: OptionDef[], w: Word): OptionDef | undefined {
  if (/^\d+$/.test(w.value)) {
    const int = open.find((o) => o.type === 'integer');
    if (int) return int;
  }
  return open.find((o) => o.type === 'string') ?? open[0];
}

function helpHint(): Span[] {
  return ['Type ', code('/digest help'), ' to see every command.'];
}
