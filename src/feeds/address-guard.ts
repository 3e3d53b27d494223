/**
 * The SSRF guard for URLs typed in chat: such a URL may not make the bot fetch from its own machine, its private
 * networks or a cloud metadata service. The check runs where the socket is opened (undici's connect hook), on the
 * very address connected to, so a DNS name that answers "public" to a first look-up and "private" to the next
 * (rebinding), or a redirect to a private address, is refused as surely as a literal 127.0.0.1. Feeds from the
 * config file, the CLI and OPML are the operator's own and never pass through here.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { FetchError } from './fetch-errors.js';
import { type BlockedRange, blockedRange } from './private-address.js';

export { blockedRange };

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Host name → its addresses. Tests inject one; the default asks the system resolver, as a socket would. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** How the guard judges addresses: the resolver, and the ranges refused (tests exempt their own feed server). */
export interface GuardPolicy {
  resolve: Resolver;
  blocked: (address: string) => BlockedRange | null;
}

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export const BLOCKED_ADVICE =
  'a feed added from chat must be on the public internet; the bot will not fetch from its own machine, private ' +
  'networks or cloud metadata. Use the public address of the feed, or, if your feeds live on your own network, ' +
  'the operator can set fetch.allowPrivateNetworks: true';

/**
 * Resolves `hostname` (a literal address resolves to itself) and returns the address to connect to, or throws a
 * 'blocked' FetchError when any answer is in a blocked range: a name with one private answer among public ones is
 * refused, since which one a socket would use is not ours to choose.
 */
export async function checkedAddress(hostname: string, policy: GuardPolicy): Promise<string> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const answers = isIP(host) ? [{ address: host, family: isIP(host) }] : await policy.resolve(host);
  if (answers.length === 0) {
    throw new FetchError('dns', `cannot resolve host ${host}: the host name does not resolve`);
  }
  for (const a of answers) {
    const range = policy.blocked(a.address);
    if (range) throw blockedError(host, a.address, range);
  }
  return (answers[0] as ResolvedAddress).address;
}

export function blockedError(host: string, address: string, range: BlockedRange): FetchError {
  const where = host === address ? `${address} is` : `${host} resolves to ${address},`;
  return new FetchError('blocked', `${where} ${article(range)} ${range} address: ${BLOCKED_ADVICE}`, {
    detail: `blocked ${range} ${address}`,
  });
}

/**
 * undici's connect hook with the guard in it: each new connection resolves the host itself, checks every answer,
 * and connects to the checked address (TLS still verifies the certificate for the host name, taken from `host`).
 */
export function guardedConnector(timeoutMs: number, policy: GuardPolicy): buildConnector.connector {
  const connect = buildConnector({ timeout: timeoutMs });
  return (opts, callback) => {
    checkedAddress(opts.hostname, policy).then(
      (address) => connect({ ...opts, hostname: address }, callback),
      (err: Error) => callback(err, null),
    );
  };
}

function article(range: BlockedRange): string {
  return /^[aeiou]/i.test(range) || range.startsWith('IPv6') ? 'an' : 'a';
}
