import { decodeComponent } from './normalize.js';

/**
 * A feed URL as it may appear in a log line or an error message. Private feeds carry their
 * credentials in the URL (https://user:pass@host/feed, ?token=…, ?key=…); log lines end up in
 * terminals, CI output and bug reports, so those parts are masked. The feed keeps its real URL
 * everywhere else (the store, the fetch itself).
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not parseable, but it may still carry credentials before an "@".
    return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, `$1${REDACTED}@`);
  }
  let changed = false;
  if (url.username || url.password) {
    url.username = REDACTED;
    url.password = '';
    changed = true;
  }
  if (url.search) {
    const pairs = url.search
      .slice(1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0 || !isSecretName(pair.slice(0, eq))) return pair;
        changed = true;
        return `${pair.slice(0, eq)}=${REDACTED}`;
      });
    url.search = `?${pairs.join('&')}`;
  }
  return changed ? url.href : text;
}

/** Every http(s) URL inside a message, redacted (for messages that quote a URL among other words). */
export function redactUrlsIn(message: string): string {
  return message.replace(/https?:\/\/[^\s"'<>]+/gi, (m) => redactUrl(m));
}

const REDACTED = '***';

// Parameter names that hold a credential in the feed URLs people paste: API keys, tokens,
// signatures of signed URLs, passwords. Matched on the whole name or a _-separated part.
const SECRET_PARTS = new Set([
  'token',
  'key',
  'apikey',
  'secret',
  'password',
  'passwd',
  'pass',
  'pwd',
  'auth',
  'authorization',
  'sig',
  'signature',
  'session',
  'sessionid',
  'sid',
  'credential',
  'credentials',
  'hash',
  'private',
]);

function isSecretName(raw: string): boolean {
  const lower = decodeComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  if (SECRET_PARTS.has(lower)) return true;
  return lower.split(/[-_.]/).some((part) => SECRET_PARTS.has(part) || part === 'apikey' || part.endsWith('token'));
}
