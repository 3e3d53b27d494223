import { createHash } from 'node:crypto';

/**
 * An absolute http(s) URL with tracking noise removed, or null when `href` is empty, not a
 * URL, or not http(s). Relative references resolve against `base` (the feed URL or the
 * xml:base in scope). The scheme and host are lower-cased, the default port and the fragment
 * dropped, and utm_*, fbclid and gclid removed; other query parameters keep their order and
 * spelling, since sites route on them.
 */
export function canonicalUrl(href: string, base?: string): string | null {
  const trimmed = href.trim().replace(/[\r\n\t]/g, '');
  if (!trimmed) return null;
  let url: URL;
  try {
    url = base ? new URL(trimmed, base) : new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  if (url.search) {
    const kept = url.search
      .slice(1)
      .split('&')
      .filter((pair) => pair !== '' && !isTrackingParam(pair.split('=')[0] ?? ''));
    url.search = kept.length > 0 ? `?${kept.join('&')}` : '';
  }
  return url.href;
}

export interface ParsedDate {
  /** ISO 8601 in UTC. */
  iso: string;
  /** True when the text gave no usable date and `iso` is `now`. */
  estimated: boolean;
}

/** Dates before this are taken as a publisher's mistake (epoch zero, "0001-01-01" and the like). */
export const EARLIEST_PLAUSIBLE = Date.UTC(1995, 0, 1);
/** A date this far ahead of now is a mistake too (wrong zone by a day is still believed). */
export const FUTURE_TOLERANCE_MS = 2 * 24 * 60 * 60 * 1000;

/**
 * Reads RFC 822/1123 dates (named zones such as EST, GMT, CEST and numeric ones such as
 * +0530), ISO 8601 / RFC 3339 with or without a zone (none means UTC), and the common
 * sloppy variants. A missing or absurd date becomes `now`, marked as estimated.
 */
export function parseDate(text: string | undefined, now: number): ParsedDate {
  const ms = text ? parseDateMs(text) : null;
  if (ms === null || ms < EARLIEST_PLAUSIBLE || ms > now + FUTURE_TOLERANCE_MS) {
    return { iso: new Date(now).toISOString(), estimated: true };
  }
  return { iso: new Date(ms).toISOString(), estimated: false };
}

/** Milliseconds since the epoch, or null when the text is not a date we can read. */
export function parseDateMs(text: string): number | null {
  const s = text.trim().replace(/\s+/g, ' ');
  if (!s) return null;
  return parseIso(s) ?? parseRfc822(s) ?? parseLoose(s);
}

export interface IdSource {
  guid?: string | null;
  url?: string | null;
  title?: string | null;
  /** The date as the feed wrote it: an estimated date would change the id on every poll. */
  dateText?: string | null;
  /** Used only when there is neither title nor date, so two such items still differ. */
  content?: string | null;
}

/** Stable within a feed: the guid, else the canonical link, else a SHA-1 of title and date. */
export function stableId(item: IdSource): string {
  const guid = item.guid?.trim();
  if (guid) return guid;
  if (item.url) return item.url;
  const title = item.title?.trim() ?? '';
  const date = item.dateText?.trim() ?? '';
  const basis = title || date ? `${title}\n${date}` : (item.content ?? '').trim();
  return `sha1:${createHash('sha1').update(basis).digest('hex')}`;
}

/** True when the text starts with an http(s) scheme (the feed's address, rather than a file path). */
export function isHttpUrl(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

/** The items with the first of each id kept, in order: feeds repeat entries. */
export function uniqueById<T extends { id: string }>(items: Iterable<T>): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push(item);
  }
  return out;
}

/** decodeURIComponent, or the text as written when it is not valid percent-encoding. */
export function decodeComponent(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function isTrackingParam(rawName: string): boolean {
  const name = decodeComponent(rawName.replace(/\+/g, ' ')).toLowerCase();
  return name.startsWith('utm_') || name === 'fbclid' || name === 'gclid';
}

const ISO_RE =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{1,2})(?::?(\d{2}))?(?::?(\d{2})(?:[.,](\d+))?)?)? ?(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

function parseIso(s: string): number | null {
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  const ms = Math.round(Number(`0.${frac || '0'}`) * 1000);
  return build(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms, zoneOffset(zone));
}

/**
 * English month abbreviations plus the Portuguese, Spanish, French, German, Italian and Dutch
 * ones that feeds in those languages write into RFC 822 dates ("Seg, 24 Set 2018").
 * Keys are the first three letters, or four where three are ambiguous (juin/juil).
 */
const MONTHS: Record<string, number> = Object.fromEntries(
  [
    'jan ene gen janv',
    'feb fev fév févr',
    'mar mär mrz mars maa',
    'apr abr avr',
    'may mai mag mei',
    'jun giu juin',
    'jul lug juil',
    'aug ago aoû aou',
    'sep set sept',
    'oct out okt ott',
    'nov',
    'dec dez dic déc',
  ].flatMap((names, month) => names.split(' ').map((n) => [n, month] as const)),
);

/**
 * RFC 822 and friends: "Tue, 10 Jun 2003 04:00:00 GMT", "10 Jun 03 04:00 +0530",
 * "Tuesday, June 10, 2003 4:00:00 PM EST", "Jun 10 2003 04:00:00 -05:00".
 */
function parseRfc822(s: string): number | null {
  // Drop a weekday in any language: a word before the day number, or a word and comma before a month name.
  const cleaned = s
    .replace(/^[^\d\s,]+\.?,? (?=\d)/, '')
    .replace(/^[^\d\s,]+\.?, (?=[^\d\s,]+\.? \d)/, '')
    .replace(/,/g, ' ')
    .replace(/ +/g, ' ')
    .trim();
  const dm =
    /^(\d{1,2})[ -]([^\d\s.-]+)\.?[ -](\d{2,4})(?:[ T](.*))?$/.exec(cleaned) ??
    swap(/^([^\d\s.-]+)\.? (\d{1,2})(?:st|nd|rd|th)? (\d{2,4})(?: (.*))?$/.exec(cleaned));
  if (!dm) return null;
  const [, day, monthName, yearText, rest = ''] = dm;
  const month = monthIndex(monthName ?? '');
  if (month === null) return null;
  let year = Number(yearText);
  if (yearText!.length === 2) year += year < 50 ? 2000 : 1900;
  const tm = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)? ?(am|pm)?(?: ?(.*))?$/i.exec(rest.trim());
  if (rest.trim() && !tm) return null;
  let hour = tm ? Number(tm[1]) : 0;
  const ampm = tm?.[5]?.toLowerCase();
  if (ampm === 'pm' && hour < 12) hour += 12;
  if (ampm === 'am' && hour === 12) hour = 0;
  const offset = zoneOffset(tm?.[6]?.trim() || undefined);
  if (offset === null) return null;
  const ms = tm?.[4] ? Math.round(Number(`0.${tm[4]}`) * 1000) : 0;
  return build(year, month, Number(day), hour, Number(tm?.[2] ?? 0), Number(tm?.[3] ?? 0), ms, offset);
}

/** Last resort for formats neither grammar covers; only believed when the engine reads a zone-free text as UTC. */
function parseLoose(s: string): number | null {
  const ms = Date.parse(/[zZ]$|[+-]\d{2}:?\d{2}$|GMT|UTC/.test(s) ? s : `${s} UTC`);
  return Number.isNaN(ms) ? null : ms;
}

function swap(m: RegExpExecArray | null): RegExpExecArray | null {
  if (!m) return null;
  const copy = [...m] as unknown as RegExpExecArray;
  copy[1] = m[2]!;
  copy[2] = m[1]!;
  return copy;
}

function monthIndex(name: string): number | null {
  const lower = name.toLowerCase();
  return MONTHS[lower.slice(0, 4)] ?? MONTHS[lower.slice(0, 3)] ?? null;
}

/** Named zones from RFC 822 plus the abbreviations publishers actually write. */
const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  BST: 60,
  IST: 330,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  WEST: 60,
  MSK: 180,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  AST: -240,
  ADT: -180,
  NST: -210,
  NDT: -150,
  JST: 540,
  KST: 540,
  HKT: 480,
  SGT: 480,
  AWST: 480,
  ACST: 570,
  ACDT: 630,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
};

/** Offset east of UTC in minutes; 0 for no zone; null for a zone we do not know. */
function zoneOffset(zone: string | undefined): number | null {
  if (!zone) return 0;
  const z = zone.replace(/^\((.*)\)$/, '$1').trim();
  const numeric = /^(?:GMT|UTC|UT)?([+-])(\d{1,2}):?(\d{2})?(?: \(.*\))?$/i.exec(z);
  if (numeric) {
    const sign = numeric[1] === '-' ? -1 : 1;
    return sign * (Number(numeric[2]) * 60 + Number(numeric[3] ?? 0));
  }
  const named = /^([A-Za-z]{1,5})(?: \(.*\))?$/.exec(z);
  if (named) {
    const upper = named[1]!.toUpperCase();
    if (upper in ZONES) return ZONES[upper]!;
    // RFC 822 military zones are ambiguous in practice (their signs were specified backwards): treat as UTC.
    if (upper.length === 1) return 0;
  }
  return null;
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number | null,
): number | null {
  if (offsetMinutes === null) return null;
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
  const t = Date.UTC(year, month, day, hour, minute, Math.min(second, 59), ms);
  return Number.isNaN(t) ? null : t - offsetMinutes * 60_000;
}

/** The host a person would name an outlet by ("www." dropped); '' for a missing or unparsable URL. */
export function urlHost(url: string | null | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).host.replace(/^www\./, '');
  } catch {
    return '';
  }
}
