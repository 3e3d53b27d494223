/**
 * docs/config.md, generated from the zod schema (npm run schema writes it with config/schema.json, and a test fails
 * when the committed file differs), so the reference can never drift from what the loader accepts. Structure, types
 * and descriptions come from the JSON Schema of the input; defaults from parsing an empty config, so durations show
 * as written ("15m"), not as milliseconds.
 */
import { configJsonSchema } from './json-schema.js';
import { configSchema } from './schema.js';

type Json = Record<string, unknown>;

interface Row {
  key: string;
  type: string;
  default: string;
  description: string;
}

const GENERIC_DURATION = 'A duration:';

export function configReference(): string {
  const schema = configJsonSchema();
  const defaults = configSchema.parse({}) as unknown as Json;
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const out: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run schema`; do not edit by hand (a test checks it). -->',
    '',
    'One YAML file, validated at start (`watchdesk config check` validates without starting). Every key is',
    'optional unless marked required. A duration is written as `30s`, `15m`, `2h`, `1d`, or a number of seconds.',
    'Secrets are never read from this file: they come from the environment (see the README).',
    '',
  ];
  for (const [name, prop] of Object.entries(props)) {
    out.push(`## ${name}`, '');
    const rows = rowsOf(name, prop, defaults[name], new Set());
    out.push(...table(rows), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function rowsOf(pathText: string, prop: Json, dflt: unknown, required: Set<string>): Row[] {
  if (isObject(prop) && !isDuration(prop)) {
    const inner = (prop.properties ?? {}) as Record<string, Json>;
    const req = new Set((prop.required as string[] | undefined) ?? []);
    return Object.entries(inner).flatMap(([k, p]) =>
      rowsOf(`${pathText}.${k}`, p, (dflt as Json | undefined)?.[k], req),
    );
  }
  if (prop.type === 'array' && isObject(prop.items as Json)) {
    const item = prop.items as Json;
    return [
      { key: pathText, type: 'list', default: '`[]`', description: 'A list of entries with the keys below.' },
      ...rowsOf(`${pathText}[]`, item, undefined, new Set()),
    ];
  }
  if (isRecord(prop)) {
    const value = prop.additionalProperties as Json;
    const pattern = ((prop.propertyNames as Json | undefined)?.pattern as string | undefined) ?? '';
    return [
      {
        key: pathText,
        type: 'map',
        default: '`{}`',
        description: `Entries keyed by id${pattern ? ` (matching \`${pattern}\`)` : ''}, each with the keys below.`,
      },
      ...rowsOf(`${pathText}.<id>`, value, undefined, new Set()),
    ];
  }
  const last = pathText.split('.').at(-1) ?? '';
  const description = describe(prop) + (required.has(last) ? ' **Required.**' : '');
  return [{ key: pathText, type: typeOf(prop), default: defaultOf(prop, dflt), description }];
}

function table(rows: Row[]): string[] {
  return [
    '| key | type | default | description |',
    '|---|---|---|---|',
    ...rows.map((r) => `| \`${r.key}\` | ${r.type} | ${r.default} | ${cell(r.description)} |`),
  ];
}

function typeOf(p: Json): string {
  if (isDuration(p)) return 'duration';
  if (Array.isArray(p.enum)) return (p.enum as unknown[]).map((v) => `\`${String(v)}\``).join(' \\| ');
  if (Array.isArray(p.anyOf)) return (p.anyOf as Json[]).map(typeOf).join(' or ');
  if (p.const !== undefined) return `\`${String(p.const)}\``;
  if (p.type === 'array') return `list of ${typeOf((p.items ?? {}) as Json)}`;
  const range = [
    p.minimum !== undefined ? `≥ ${String(p.minimum)}` : '',
    typeof p.maximum === 'number' && p.maximum < Number.MAX_SAFE_INTEGER ? `≤ ${p.maximum}` : '',
  ].filter(Boolean);
  const base = p.format === 'uri' ? 'URL' : String(p.type ?? 'any');
  return range.length > 0 ? `${base} (${range.join(', ')})` : base;
}

function defaultOf(p: Json, parsed: unknown): string {
  const value = parsed !== undefined ? parsed : p.default;
  if (value === undefined) return '';
  if (isDuration(p) && typeof value === 'number') return `\`${durationText(value)}\``;
  return `\`${JSON.stringify(value)}\``;
}

function describe(p: Json): string {
  const d = typeof p.description === 'string' ? p.description : '';
  return d.startsWith(GENERIC_DURATION) ? '' : d;
}

/** 20000 → "20s", 900000 → "15m", 15552000000 → "180d". */
export function durationText(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms / 1000}s`;
}

function isDuration(p: Json): boolean {
  const any = p.anyOf as Json[] | undefined;
  return (
    Array.isArray(any) && any.some((a) => typeof a.pattern === 'string' && String(a.pattern).includes('[smhdSMHD]'))
  );
}

function isObject(p: Json): boolean {
  return p.type === 'object' && p.properties !== undefined;
}

function isRecord(p: Json): boolean {
  return p.type === 'object' && typeof p.additionalProperties === 'object' && p.properties === undefined;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
