import { parseRetryAfter, readCapped } from '../http-response.js';
import { type Logger, redactSecrets, silentLogger } from '../log.js';
import { checkAnswer } from './llm-guard.js';
import { buildPrompt } from './llm-prompt.js';
import type { Summarizer, Summary, SummaryBudget, SummaryInput } from './types.js';

/**
 * Counts LLM requests per UTC day ("2025-01-31"); the app keeps it in the kv table (store/kv.ts),
 * which answers asynchronously, and the default keeps it in memory, which answers at once.
 */
export interface BudgetStore {
  get(day: string): number | Promise<number>;
  increment(day: string): void | Promise<void>;
}

export interface LlmDeps {
  /** OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (…/chat/completions is appended). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  concurrency: number;
  /** Maximum requests sent per UTC day; 0 disables the LLM. */
  dailyBudget: number;
  maxOutputChars: number;
  /** Used whenever the LLM cannot give an acceptable answer; a summary always exists. */
  fallback: Summarizer;
  now?: () => number;
  log?: Logger;
  budgetStore?: BudgetStore;
}

/** A 429 without Retry-After still pauses the LLM this long, so a busy server is not hammered. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 30_000;
const MAX_PAUSE_MS = 60 * 60_000;
/** Chat answers are small; anything bigger than this is not an answer to our request. */
const MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * Summarizes through an OpenAI-compatible Chat Completions endpoint (OpenAI, Ollama, vLLM,
 * llama.cpp server). Any failure falls back to deps.fallback, with the reason in Summary.note.
 */
export function createLlmSummarizer(deps: LlmDeps): Summarizer {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? silentLogger;
  const budgetStore = deps.budgetStore ?? createMemoryBudgetStore();
  const runLimited = createLimiter(deps.concurrency);
  const endpoint = `${deps.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const secrets = deps.apiKey ? [deps.apiKey] : [];
  let pausedUntil = 0;

  /** Why the LLM may not be asked right now, or null. Checked before queueing and again before sending. */
  const blocked = async (): Promise<string | null> => {
    const t = now();
    if (t < pausedUntil) return `rate limited, paused for another ${Math.ceil((pausedUntil - t) / 1000)}s`;
    const used = await budgetStore.get(utcDay(t));
    if (used >= deps.dailyBudget) return `daily budget of ${deps.dailyBudget} requests used up`;
    return null;
  };
  /**
   * The last check and the count of the request sent, as one step taken one request at a time:
   * with a store that answers later, two requests checking together could both take the last one left.
   */
  let counting: Promise<unknown> = Promise.resolve();
  const take = (): Promise<string | null> => {
    const step = counting.then(async () => {
      const late = await blocked();
      if (!late) await budgetStore.increment(utcDay(now()));
      return late;
    });
    counting = step.catch(() => undefined);
    return step;
  };

  const attempt = async (input: SummaryInput, budget: SummaryBudget): Promise<Attempt> => {
    if (input.text.trim() === '' && input.title.trim() === '') return { ok: false, reason: 'nothing to summarize' };
    const early = await blocked();
    if (early) return { ok: false, reason: early };
    return runLimited(async () => {
      // Time passed in the queue: a 429 or the budget may have closed the door meanwhile.
      const late = await take();
      if (late) return { ok: false, reason: late };
      return ask(deps, endpoint, input, budget, (pauseMs) => {
        pausedUntil = now() + pauseMs;
      });
    });
  };

  return {
    async summarize(input, budget) {
      let outcome: Attempt;
      try {
        outcome = await attempt(input, budget);
      } catch (err) {
        outcome = { ok: false, reason: describeError(err, deps.timeoutMs) };
      }
      if (outcome.ok) return outcome.summary;
      log.warn('llm summary not used; falling back', { reason: redactSecrets(outcome.reason, secrets) });
      return fallback(deps.fallback, log, input, budget, redactSecrets(`llm: ${outcome.reason}`, secrets));
    },
  };
}

/** One request to the endpoint and its answer checked; a 429 (or a 503 with Retry-After) calls `pause`. */
async function ask(
  deps: LlmDeps,
  endpoint: string,
  input: SummaryInput,
  budget: SummaryBudget,
  pause: (ms: number) => void,
): Promise<Attempt> {
  const prompt = buildPrompt(input, budget, deps.maxOutputChars);
  const payload = {
    model: deps.model,
    messages: prompt.messages,
    // About 4 characters per token in English; /3 leaves headroom so a fitting answer is not cut.
    max_tokens: Math.ceil(deps.maxOutputChars / 3),
    temperature: 0,
    stream: false,
  };
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (deps.apiKey) headers.authorization = `Bearer ${deps.apiKey}`;
  // Loaded here, not at the top: commands that never call an LLM (most) start without undici.
  const { request } = await import('undici');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deps.timeoutMs);
  try {
    const res = await request(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(payload),
      signal: controller.signal,
      headersTimeout: deps.timeoutMs,
      bodyTimeout: deps.timeoutMs,
    });
    const body = await readCapped(res.body, MAX_RESPONSE_BYTES);
    if (res.statusCode !== 200) {
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], (deps.now ?? Date.now)());
      if (res.statusCode === 429 || (res.statusCode === 503 && retryAfterMs !== undefined)) {
        pause(Math.min(retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS, MAX_PAUSE_MS));
      }
      const hint = retryAfterMs !== undefined ? ` (retry after ${Math.ceil(retryAfterMs / 1000)}s)` : '';
      return { ok: false, reason: `HTTP ${res.statusCode}${hint}` };
    }
    if (body === null) return { ok: false, reason: `response larger than ${MAX_RESPONSE_BYTES} bytes` };
    const content = readContent(body.toString('utf8'));
    if (typeof content !== 'string') return { ok: false, reason: content.error };
    const checked = checkAnswer(content, {
      articleText: prompt.articleText,
      nonce: prompt.nonce,
      budget,
      maxOutputChars: deps.maxOutputChars,
    });
    if (!checked.ok) return checked;
    return { ok: true, summary: { text: checked.text, sentences: checked.sentences, method: 'llm', note: null } };
  } catch (err) {
    if (controller.signal.aborted) return { ok: false, reason: `timeout after ${formatMs(deps.timeoutMs)}` };
    return { ok: false, reason: describeError(err, deps.timeoutMs) };
  } finally {
    clearTimeout(timer);
  }
}

/** The fallback's summary, noting `why` the LLM's was not used; the title when the fallback fails too. */
async function fallback(
  fallbackSummarizer: Summarizer,
  log: Logger,
  input: SummaryInput,
  budget: SummaryBudget,
  why: string,
): Promise<Summary> {
  try {
    const s = await fallbackSummarizer.summarize(input, budget);
    const note = `${why}, used ${s.method}`;
    return { ...s, note: s.note ? `${note}; ${s.note}` : note };
  } catch (err) {
    // The fallback is offline code and should not fail; if it does, the title still stands in.
    log.error('fallback summarizer failed', { err });
    const title = input.title.trim();
    return { text: title, sentences: title ? [title] : [], method: 'title', note: `${why}, fallback failed` };
  }
}

export function createMemoryBudgetStore(): BudgetStore {
  const counts = new Map<string, number>();
  return {
    get: (day) => counts.get(day) ?? 0,
    increment(day) {
      // Only today matters; dropping other days keeps a long-running process from growing the map.
      for (const key of counts.keys()) if (key !== day) counts.delete(key);
      counts.set(day, (counts.get(day) ?? 0) + 1);
    },
  };
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

type Attempt = { ok: true; summary: Summary } | { ok: false; reason: string };

/** A FIFO semaphore: at most `max` tasks run at once, the rest wait in order. */
function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active < Math.max(1, max)) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `active` never drops below what runs.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** The answer text from a Chat Completions response, or why there is none. */
function readContent(body: string): string | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { error: 'unreadable response (not JSON)' };
  }
  const choice = (json as { choices?: unknown } | null)?.choices;
  const first = Array.isArray(choice) ? (choice[0] as Record<string, unknown> | undefined) : undefined;
  const message = first?.message as { content?: unknown } | undefined;
  if (!first || !message || (typeof message.content !== 'string' && message.content !== null)) {
    return { error: 'unreadable response (no choices[0].message.content)' };
  }
  if (first.finish_reason === 'length') return { error: 'answer cut off at the token limit' };
  return typeof message.content === 'string' ? message.content : '';
}

function describeError(err: unknown, timeoutMs: number): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection dropped';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `timeout after ${formatMs(timeoutMs)}`;
    case 'UND_ERR_INVALID_ARG':
    case 'ERR_INVALID_URL':
      return 'invalid llm.baseUrl';
    default:
      // The message of an unknown error may be anything; the code or class name is enough to act on.
      return `request failed (${typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown error'})`;
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
