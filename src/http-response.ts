/**
 * Reading answers from servers we do not control (feeds, the LLM endpoint): how long a 429/503
 * asks us to wait, and a body read that stops at a size cap. Shared by feeds/ and summarize/,
 * so it lives beside errors.ts and log.ts rather than in either stage.
 */
import type { Readable } from 'node:stream';

/**
 * Retry-After (delta seconds or an HTTP date) as a wait in ms; undefined when absent or
 * unreadable. A header sent twice counts by its first value.
 */
export function parseRetryAfter(value: string | readonly string[] | null | undefined, now: number): number | undefined {
  const v = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Collects a body, or null as soon as more than `cap` bytes arrive (the rest is dropped and the
 * connection closed). Events, not for-await: measurably faster on the feed poller's hot path.
 */
export function readCapped(body: Readable, cap: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        discardBody(body);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    body.on('end', () => resolve(Buffer.concat(chunks, size)));
    body.on('error', reject);
  });
}

/** Drops a body we will not read; the connection closes, and the abort is not an unhandled error. */
export function discardBody(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}
