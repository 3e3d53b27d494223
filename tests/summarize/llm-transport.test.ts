import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlmSummarizer, type LlmDeps } from '../../src/summarize/llm.js';
import type { Summarizer, SummaryBudget, SummaryInput } from '../../src/summarize/types.js';

/**
 * Failure modes below the Chat Completions protocol, each against a raw HTTP server on loopback
 * that misbehaves in one way: the socket drops mid-answer, the body stalls after the headers,
 * the body is far larger than any answer, the choices are empty. Each must fall back with its
 * reason; none may throw.
 */
const BUDGET: SummaryBudget = { sentences: 2, maxChars: 320 };
const ARTICLE: SummaryInput = {
  title: 'Regulator fines forum operator',
  text: 'The regulator fined the forum operator on Friday. The operator said it would appeal the fine.',
};
const FALLBACK_TEXT = 'The regulator fined the forum operator on Friday.';
const fallback: Summarizer = {
  summarize: async () => ({ text: FALLBACK_TEXT, sentences: [FALLBACK_TEXT], method: 'extractive', note: null }),
};

let server: Server | null = null;
afterEach(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server = null;
});

async function serve(handler: (res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

function make(baseUrl: string, overrides: Partial<LlmDeps> = {}): Summarizer {
  return createLlmSummarizer({
    baseUrl,
    model: 'm',
    timeoutMs: 5_000,
    concurrency: 1,
    dailyBudget: 10,
    maxOutputChars: 400,
    fallback,
    ...overrides,
  });
}

async function expectFallback(llm: Summarizer, note: RegExp, input: SummaryInput = ARTICLE): Promise<void> {
  const summary = await llm.summarize(input, BUDGET);
  expect(summary.method).toBe('extractive');
  expect(summary.text).toBe(FALLBACK_TEXT);
  expect(summary.note).toMatch(note);
}

describe('createLlmSummarizer: transport failures fall back with the reason', () => {
  it('a connection dropped in the middle of the answer', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"choices":[{"message":{"content":"The regu');
      setImmediate(() => res.socket?.destroy());
    });
    await expectFallback(make(url), /^llm: connection dropped, used extractive$/);
  });

  it('a body that stalls after the headers', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices":');
    });
    // Short on purpose: the stall is the point, and nothing else can take this long.
    await expectFallback(make(url, { timeoutMs: 300 }), /^llm: timeout after 300ms, used extractive$/);
  });

  it('a body far larger than any answer', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"choices":[{"message":{"content":"${'x'.repeat(400 * 1024)}"}}]}`);
    });
    await expectFallback(make(url), /^llm: response larger than \d+ bytes, used extractive$/);
  });

  it('a response with no choices', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"choices":[]}');
    });
    await expectFallback(make(url), /^llm: unreadable response \(no choices\[0\]\.message\.content\)/);
  });

  it('a null content (a refusal or a tool call)', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"choices":[{"message":{"role":"assistant","content":null},"finish_reason":"stop"}]}');
    });
    await expectFallback(make(url), /^llm: empty answer, used extractive$/);
  });

  it('a redirect, which is not followed', async () => {
    const url = await serve((res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    });
    await expectFallback(make(url), /^llm: HTTP 302, used extractive$/);
  });

  it('an llm.baseUrl that is not a URL', async () => {
    await expectFallback(make('not a url'), /^llm: invalid llm\.baseUrl, used extractive$/);
  });

  it('nothing to summarize, without asking the server', async () => {
    let asked = 0;
    const url = await serve((res) => {
      asked++;
      res.end();
    });
    const summary = await make(url).summarize({ title: ' ', text: '\n' }, BUDGET);
    expect(summary.note).toMatch(/^llm: nothing to summarize/);
    expect(asked).toBe(0);
  });
});
