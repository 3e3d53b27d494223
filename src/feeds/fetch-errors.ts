import type { FetchErrorKind } from './types.js';

/**
 * A fetch or parse failure, classified into a kind a person can act on. `message` is the
 * person-facing text; `detail` keeps the low-level cause for logs.
 */
export class FetchError extends Error {
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly extra: { status?: number; retryAfterMs?: number; detail?: string } = {},
  ) {
    super(message);
    this.name = 'FetchError';
  }

  get status(): number | undefined {
    return this.extra.status;
  }

  get retryAfterMs(): number | undefined {
    return this.extra.retryAfterMs;
  }

  toJSON(): { kind: FetchErrorKind; message: string } {
    return { kind: this.kind, message: this.message };
  }
}

/** What each kind means for the person who runs the bot, and what to do about it. */
export const KIND_ADVICE: Record<FetchErrorKind, string> = {
  dns: 'the host name does not resolve; check the URL for typos or whether the site still exists',
  connect: 'the server refused or dropped the connection; it may be down, or block this machine',
  tls: 'the secure connection failed (certificate or TLS problem on the site)',
  timeout: 'the server took too long to answer; it will be retried later',
  http_status: 'the server answered with an error status',
  too_large: 'the response is larger than the configured limit (fetch.maxBodyBytes)',
  not_a_feed: 'the URL returns something that is not RSS, Atom or JSON Feed (often an HTML page); find the feed link on that page',
  malformed_xml: 'the feed is broken XML that no parser could read; tell the publisher',
  too_many_redirects: 'the URL redirects too many times; use the final address',
  invalid_url: 'the URL is not a valid http(s) address',
  io: 'the file or input could not be read',
};
