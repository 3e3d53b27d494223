/**
 * Which IP addresses a URL typed in chat must never reach: the bot's own machine, the networks it sits on, and
 * the cloud metadata services that hand out credentials. Pure: an address in, a named range (or null) out.
 * IPv4 is compared as IPv4-mapped IPv6, so ::ffff:127.0.0.1 is loopback too, and the IPv4 inside a NAT64 or
 * 6to4 address is judged as itself.
 */
import { isIP } from 'node:net';

export type BlockedRange =
  | 'loopback'
  | 'private network'
  | 'link-local'
  | 'cloud metadata'
  | 'carrier-grade NAT'
  | 'IPv6 unique local'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

/** First match wins: the metadata addresses sit inside link-local and unique-local ranges and are named first. */
const RANGES: [string, BlockedRange][] = [
  ['169.254.169.254/32', 'cloud metadata'],
  ['169.254.170.2/32', 'cloud metadata'],
  ['100.100.100.200/32', 'cloud metadata'],
  ['fd00:ec2::254/128', 'cloud metadata'],
  ['0.0.0.0/8', 'unspecified'],
  ['127.0.0.0/8', 'loopback'],
  ['10.0.0.0/8', 'private network'],
  ['172.16.0.0/12', 'private network'],
  ['192.168.0.0/16', 'private network'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['169.254.0.0/16', 'link-local'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'reserved'],
  ['100::/64', 'reserved'],
  ['64:ff9b:1::/48', 'reserved'],
  ['fc00::/7', 'IPv6 unique local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private network'],
  ['ff00::/8', 'multicast'],
];

const TABLE = RANGES.map(([cidr, range]) => {
  const [address = '', bits = ''] = cidr.split('/');
  const v4 = isIP(address) === 4;
  return { bytes: toBytes(address) as Uint8Array, bits: Number(bits) + (v4 ? 96 : 0), range };
});

/** The range an address falls in when a chat-typed URL may not reach it, else null. Not an IP address: null. */
export function blockedRange(address: string): BlockedRange | null {
  const bytes = toBytes(address);
  if (!bytes) return null;
  const embedded = embeddedIpv4(bytes);
  const subject = embedded ?? bytes;
  for (const row of TABLE) {
    if (matches(subject, row.bytes, row.bits)) return row.range;
  }
  return null;
}

/** 16 bytes for an IPv4 (as ::ffff:a.b.c.d) or IPv6 address; undefined for anything else. */
export function toBytes(address: string): Uint8Array | undefined {
  const plain = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(plain);
  if (family === 4) return mapped(plain.split('.').map(Number));
  if (family !== 6) return undefined;
  // A trailing dotted quad (::ffff:127.0.0.1) becomes its two hex groups, leaving plain hex groups to read.
  const text = plain
    .toLowerCase()
    .replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) => `${hex(a, b)}:${hex(c, d)}`);
  const [head = '', rest] = text.split('::');
  const groups = (s: string) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const words = rest === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  const out = new Uint8Array(16);
  words.slice(0, 8).forEach((w, i) => {
    out[i * 2] = (w >> 8) & 0xff;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}

function hex(high: string, low: string): string {
  return ((Number(high) << 8) | Number(low)).toString(16);
}

/** The IPv4 address a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address carries, as mapped bytes. */
function embeddedIpv4(b: Uint8Array): Uint8Array | undefined {
  const nat64 =
    b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0);
  if (nat64) return mapped([...b.slice(12, 16)]);
  if (b[0] === 0x20 && b[1] === 0x02) return mapped([...b.slice(2, 6)]);
  return undefined;
}

function mapped(v4: number[]): Uint8Array {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4.slice(0, 4), 12);
  return out;
}

function matches(address: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((address[i] as number) & mask) !== ((prefix[i] as number) & mask)) return false;
  }
  return true;
}
