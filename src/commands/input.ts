/**
 * The one validation of command input, whichever platform it came from: Discord's typed options and Slack's
 * parsed command text both arrive here as raw values and leave as Input, or as an error that shows the right form.
 */
import { code, errorReply, type Reply } from './reply.js';
import type { CommandDef, Input, OptionDef, RawInput } from './types.js';

export type Validated = { ok: true; input: Input } | { ok: false; reply: Reply };

export function validateInput(def: CommandDef, raw: RawInput): Validated {
  const input: Input = {};
  const known = new Set(def.options.map((o) => o.name));
  const unknown = Object.keys(raw).filter((k) => !known.has(k) && raw[k] !== undefined && raw[k] !== null);
  if (unknown.length > 0) {
    const names = def.options.map((o) => o.name).join(', ') || 'none';
    return bad(
      def,
      `/digest ${def.name} has no option ${unknown.map((u) => `"${u}"`).join(', ')} (it takes: ${names}).`,
    );
  }
  for (const opt of def.options) {
    const value = raw[opt.name];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (opt.required) return bad(def, `/digest ${def.name} is missing its ${opt.name}: ${opt.description}.`);
      continue;
    }
    const checked = checkOption(opt, value);
    if (typeof checked === 'string') return bad(def, checked);
    input[opt.name] = checked.value;
  }
  return { ok: true, input };
}

/** "/digest search <query> [since]": the form a person types, for help and error replies. */
export function usage(def: CommandDef): string {
  const opts = def.options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return ['/digest', def.name, ...opts].join(' ');
}

/** A filled-in example, e.g. `/digest search "section 230" since:7d`. */
export function example(def: CommandDef): string {
  const parts = def.options
    .filter((o) => o.example !== undefined)
    .map((o) => (o.rest || o.required ? `${o.example}` : `${o.name}:${o.example}`));
  return ['/digest', def.name, ...parts].join(' ');
}

function checkOption(opt: OptionDef, value: string | number | boolean): { value: string | number } | string {
  if (opt.type === 'integer') {
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    const range = rangeWords(opt);
    if (!Number.isInteger(n)) return `${opt.name} must be a whole number${range}, not "${String(value)}".`;
    if ((opt.min !== undefined && n < opt.min) || (opt.max !== undefined && n > opt.max)) {
      return `${opt.name} must be a whole number${range}; ${n} is out of range.`;
    }
    return { value: n };
  }
  const text = String(value).trim();
  if (opt.maxLength !== undefined && text.length > opt.maxLength) {
    return `${opt.name} is ${text.length} characters long; the most is ${opt.maxLength}.`;
  }
  if (opt.choices && !opt.choices.includes(text.toLowerCase())) {
    return `${opt.name} must be one of ${opt.choices.join(', ')}, not "${text}".`;
  }
  return { value: opt.choices ? text.toLowerCase() : text };
}

function rangeWords(opt: OptionDef): string {
  if (opt.min !== undefined && opt.max !== undefined) return ` from ${opt.min} to ${opt.max}`;
  if (opt.min !== undefined) return ` of at least ${opt.min}`;
  if (opt.max !== undefined) return ` of at most ${opt.max}`;
  return '';
}

function bad(def: CommandDef, what: string): Validated {
  const ex = example(def);
  const todo =
    ex !== usage(def) ? ['Type ', code(usage(def)), ', for example ', code(ex), '.'] : ['Type ', code(usage(def)), '.'];
  return { ok: false, reply: errorReply(`Bad input for /digest ${def.name}`, what, todo) };
}
