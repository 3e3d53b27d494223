import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** What a capped read found: the bytes, or that the input holds more than the cap (and its size when known). */
export type CappedRead = { ok: true; bytes: Buffer } | { ok: false; size: number | null };

/**
 * Reads a file, or stdin for "-", but never more than `maxBytes`: a regular file's size is checked
 * before a byte is read, and any input (a pipe, a file that grows) stops at the cap, so a huge
 * input is refused instead of exhausting memory. Read errors (ENOENT, EISDIR…) are thrown as is.
 */
export async function readCapped(input: string, maxBytes: number): Promise<CappedRead> {
  if (input === '-') return readStreamCapped(process.stdin, maxBytes);
  const info = await stat(input);
  if (info.isDirectory()) throw Object.assign(new Error(`EISDIR: ${input} is a directory`), { code: 'EISDIR' });
  if (info.isFile() && info.size > maxBytes) return { ok: false, size: info.size };
  return readStreamCapped(createReadStream(input), maxBytes);
}

/** Collects a stream up to `maxBytes`; past it, stops reading and reports the input as too large. */
export function readStreamCapped(stream: Readable, maxBytes: number): Promise<CappedRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer | string) => {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buf.length;
      if (size > maxBytes) {
        stream.off('data', onData);
        if (stream !== process.stdin) stream.destroy();
        else stream.pause();
        resolve({ ok: false, size: null });
        return;
      }
      chunks.push(buf);
    };
    stream.on('data', onData);
    stream.once('end', () => resolve({ ok: true, bytes: Buffer.concat(chunks, size) }));
    stream.once('error', reject);
  });
}

/**
 * True when the bytes are not text: a NUL byte in the first 8 KB (the rule git and grep use), or
 * mostly control characters there. Text in any common encoding, UTF-16 aside, passes.
 */
export function looksBinary(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 8192);
  if (head.length === 0) return false;
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return control / head.length > 0.1;
}

/** "12.3 MB": a size for people. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}
