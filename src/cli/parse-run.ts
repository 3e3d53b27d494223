/** `watchdesk parse`'s work, apart from its registration (parse.ts) so that other commands never load the feed parser. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { feedFetcher } from '../app/services.js';
import { loadConfig } from '../config/load.js';
import { configSchema, type FileConfig } from '../config/schema.js';
import { errorMessage } from '../errors.js';
import { decodeBody } from '../feeds/charset.js';
import type { Fetcher } from '../feeds/fetch.js';
import { FetchError, KIND_ADVICE } from '../feeds/fetch-errors.js';
import { isHttpUrl } from '../feeds/normalize.js';
import { parseFeed } from '../feeds/parse.js';
import type { NormalizedItem, ParsedFeed } from '../feeds/types.js';
import { type CappedRead, formatBytes, readCapped } from './input.js';

/** Prints what the inputs hold; returns the exit code. */
export async function runParse(inputs: string[], json: boolean, session: ParseSession): Promise<number> {
  if (inputs.length === 1) {
    const input = inputs[0]!;
    const outcome = await session.parse(input);
    if ('error' in outcome) {
      process.stderr.write(
        `error: ${input}: ${outcome.error.message}\n(${outcome.error.kind}: ${KIND_ADVICE[outcome.error.kind]})\n`,
      );
      return 1;
    }
    process.stdout.write(
      json ? `${JSON.stringify(outcome.feed.items.map(itemJson), null, 2)}\n` : listing(input, outcome.feed),
    );
    return 0;
  }
  let parsed = 0;
  for (const input of inputs) {
    const outcome = await session.parse(input);
    if ('error' in outcome) {
      process.stdout.write(`${JSON.stringify({ input, error: outcome.error })}\n`);
    } else {
      parsed++;
      process.stdout.write(`${JSON.stringify({ input, items: outcome.feed.items.map(itemJson) })}\n`);
    }
  }
  return parsed > 0 ? 0 : 1;
}

type Outcome = { feed: ParsedFeed } | { error: { kind: FetchError['kind']; message: string } };

/** Reads files, fetches URLs (one fetcher, made on first use), parses; never throws for a bad input. */
export class ParseSession {
  private fetcher: Fetcher | null = null;
  private loaded: Pick<FileConfig, 'bot' | 'fetch'> | null = null;

  constructor(private readonly configFile?: string) {}

  async parse(input: string): Promise<Outcome> {
    try {
      if (isHttpUrl(input)) {
        const res = await this.getFetcher().fetch({ url: input });
        return { feed: parseFeed(res.body, { url: res.url }) };
      }
      const bytes = await this.readLocal(input);
      const url = input === '-' ? 'stdin' : pathToFileURL(path.resolve(input)).href;
      return { feed: parseFeed(decodeBody(bytes, null).text, { url }) };
    } catch (err) {
      if (err instanceof FetchError) return { error: err.toJSON() };
      // Not a classified failure (a parser crash on some document): still this input's problem only.
      return { error: { kind: 'malformed_xml', message: `The feed could not be parsed: ${errorMessage(err)}` } };
    }
  }

  /** A file, or stdin for "-", held to the same fetch.maxBodyBytes limit as a feed over HTTP. */
  private async readLocal(input: string): Promise<Buffer> {
    const cap = this.settings().fetch.maxBodyBytes;
    let read: CappedRead;
    try {
      read = await readCapped(input, cap);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'read error');
      throw new FetchError('io', `Cannot read ${input}: ${why}.`, { detail: errorMessage(err) });
    }
    if (read.ok) return read.bytes;
    const what = input === '-' ? 'The input on stdin' : 'The file';
    const size = read.size === null ? `more than ${formatBytes(cap)}` : formatBytes(read.size);
    throw new FetchError(
      'too_large',
      `${what} is ${size}, over the limit of ${formatBytes(cap)} (fetch.maxBodyBytes: ${cap}). ` +
        'Raise fetch.maxBodyBytes in the config to read it, or pass a smaller file.',
    );
  }

  async close(): Promise<void> {
    await this.fetcher?.close();
  }

  private getFetcher(): Fetcher {
    this.fetcher ??= feedFetcher(this.settings());
    return this.fetcher;
  }

  private settings(): Pick<FileConfig, 'bot' | 'fetch'> {
    if (!this.loaded) {
      // Fetch settings come from the config; a missing or broken config must not stop a quick parse.
      try {
        this.loaded = loadConfig({ file: this.configFile });
      } catch {
        this.loaded = configSchema.parse({});
      }
    }
    return this.loaded;
  }
}

/** The item as `parse --json` prints it (the fields the issue names, in that order). */
function itemJson(item: NormalizedItem) {
  const { id, url, title, published, author, categories, content, enclosures } = item;
  return { id, url, title, published, author, categories, content, enclosures };
}

function listing(input: string, feed: ParsedFeed): string {
  const lines = [`${feed.title ?? input}${feed.link ? `  <${feed.link}>` : ''}`, `${feed.items.length} item(s)`, ''];
  for (const item of feed.items) {
    const when = `${item.published.slice(0, 16).replace('T', ' ')}${item.publishedEstimated ? ' (first seen)' : ''}`;
    lines.push(`${when}  ${item.title || '(untitled)'}`);
    if (item.url) lines.push(`    ${item.url}`);
    const meta = [
      item.author ? `by ${item.author}` : '',
      item.categories.length ? `[${item.categories.join(', ')}]` : '',
    ]
      .filter(Boolean)
      .join('  ');
    if (meta) lines.push(`    ${meta}`);
    if (item.content) lines.push(`    ${oneLine(item.content, 160)}`);
    for (const e of item.enclosures) lines.push(`    enclosure: ${e.url}${e.type ? ` (${e.type})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
