import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible Chat Completions server on 127.0.0.1 whose answer to each request is
 * scripted. Requests are recorded so tests can check the prompt and the headers.
 */
export type FakeLlmBehaviour =
  | { kind: 'ok'; content?: string }
  /** Any status; `retryAfter` sets the Retry-After header. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  /** Never answers (until the test releases it or the server closes): a timeout. */
  | { kind: 'hang' }
  /** 200 with a body that is not a Chat Completions response. */
  | { kind: 'garbage'; body?: string; contentType?: string }
  | { kind: 'empty' }
  | { kind: 'overlong'; chars?: number }
  /** finish_reason "length": the model hit max_tokens mid-answer. */
  | { kind: 'truncated' }
  /** Holds the answer until release() is called, then answers like `then` (default ok). */
  | { kind: 'hold'; then?: FakeLlmBehaviour }
  /**
   * Plays a model that falls for an instruction planted in the article: answers with the quoted
   * text the instruction asks for ('obey'), or repeats the instruction sentence itself ('echo').
   */
  | { kind: 'injected'; how: 'obey' | 'echo' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body (null when it was not JSON). */
  body: ChatRequestBody | null;
}

export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
  max_tokens?: number;
  temperature?: number;
}

export interface FakeLlm {
  /** Base URL ending in /v1, as llm.baseUrl expects. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** The most requests that were being answered at the same moment. */
  readonly maxInFlight: number;
  readonly held: number;
  /** Queues behaviours for the next requests, in order; when the queue is empty `fallbackBehaviour` applies. */
  script(...behaviours: FakeLlmBehaviour[]): void;
  setDefault(behaviour: FakeLlmBehaviour): void;
  /** Lets the oldest held request answer. */
  releaseOne(): void;
  /** Resolves once at least n requests are held. */
  waitForHeld(n: number): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_ANSWER = 'A federal court let the lawsuit against the platform go forward.';

export async function startFakeLlm(): Promise<FakeLlm> {
  const queue: FakeLlmBehaviour[] = [];
  let fallbackBehaviour: FakeLlmBehaviour = { kind: 'ok' };
  const requests: RecordedRequest[] = [];
  const heldQueue: Array<() => void> = [];
  const heldWaiters: Array<{ n: number; resolve: () => void }> = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const notifyHeld = () => {
    for (const w of [...heldWaiters]) {
      if (heldQueue.length >= w.n) {
        heldWaiters.splice(heldWaiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  const answer = async (behaviour: FakeLlmBehaviour, body: ChatRequestBody | null, res: ServerResponse) => {
    switch (behaviour.kind) {
      case 'ok':
        return sendChat(res, behaviour.content ?? DEFAULT_ANSWER);
      case 'status':
        res.writeHead(behaviour.status, {
          'content-type': 'application/json',
          ...(behaviour.retryAfter ? { 'retry-after': behaviour.retryAfter } : {}),
        });
        return res.end(behaviour.body ?? JSON.stringify({ error: { message: `status ${behaviour.status}` } }));
      case 'hang':
        return new Promise<void>((resolve) => res.on('close', resolve));
      case 'garbage':
        res.writeHead(200, { 'content-type': behaviour.contentType ?? 'application/json' });
        return res.end(behaviour.body ?? '<html><body>502 Bad Gateway</body></html>');
      case 'empty':
        return sendChat(res, '');
      case 'overlong':
        return sendChat(res, 'The court ruled on the case. '.repeat(Math.ceil((behaviour.chars ?? 5000) / 29)));
      case 'truncated':
        return sendChat(res, 'The court ruled on the', 'length');
      case 'hold':
        await new Promise<void>((resolve) => {
          heldQueue.push(resolve);
          notifyHeld();
        });
        return answer(behaviour.then ?? { kind: 'ok' }, body, res);
      case 'injected':
        return sendChat(res, fallForInjection(body, behaviour.how));
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: ChatRequestBody | null = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
      } catch {
        body = null;
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const behaviour = queue.shift() ?? fallbackBehaviour;
      void answer(behaviour, body, res).finally(() => {
        inFlight--;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    get held() {
      return heldQueue.length;
    },
    script: (...b) => {
      queue.push(...b);
    },
    setDefault: (b) => {
      fallbackBehaviour = b;
    },
    releaseOne: () => {
      heldQueue.shift()?.();
    },
    waitForHeld: (n) =>
      new Promise<void>((resolve) => {
        heldWaiters.push({ n, resolve });
        notifyHeld();
      }),
    close: async () => {
      for (const release of heldQueue.splice(0)) release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendChat(res: ServerResponse, content: string, finishReason = 'stop'): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 0,
      model: 'fake',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }),
  );
}

/** What a gullible model says: the quoted payload the planted instruction asks for, or the instruction itself. */
function fallForInjection(body: ChatRequestBody | null, how: 'obey' | 'echo'): string {
  const user = body?.messages?.find((m) => m.role === 'user')?.content ?? '';
  const sentence = /[^.\n]*\bignore (all )?(previous|prior) instructions\b[^\n]*/i.exec(user)?.[0]?.trim();
  if (!sentence) return DEFAULT_ANSWER;
  if (how === 'echo') return sentence;
  return /["“]([^"”]+)["”]/.exec(sentence)?.[1] ?? sentence;
}
