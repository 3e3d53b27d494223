/**
 * A fake Slack Web API on loopback for the real @slack/web-api WebClient (and later Bolt):
 * POST http://127.0.0.1:PORT/api/<method>; give clients `slackApiUrl: fake.slackApiUrl`.
 *
 * Answers auth.test and chat.postMessage (recording channel, thread_ts, text and blocks), checks
 * the bot token, and can be scripted to fail the way Slack does: HTTP 429 + Retry-After with
 * `ratelimited`, `{ok:false, error}` platform errors (channel_not_found, not_in_channel, …),
 * HTTP 5xx, or "post the message, then never answer" for crash tests.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FailureScript, Waiters } from './scripted.js';

export interface SlackCall {
  method: string;
  headers: http.IncomingHttpHeaders;
  /** Form or JSON fields; JSON-looking strings (blocks) are parsed. */
  // biome-ignore lint/suspicious/noExplicitAny: whatever the client sent
  args: Record<string, any>;
}

export interface SlackPost {
  ts: string;
  channel: string;
  threadTs?: string;
  text?: string;
  // biome-ignore lint/suspicious/noExplicitAny: Block Kit as posted
  blocks?: any[];
}

export type SlackFailure =
  | { kind: 'ratelimited'; retryAfterSec: number }
  | { kind: 'error'; error: string }
  | { kind: 'http'; status: number }
  | { kind: 'hang_after_post' };

export interface FakeSlackOptions {
  token?: string;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly posts: SlackPost[] = [];
  readonly token: string;
  readonly team = { id: 'T0FAKETEAM', name: 'Policy desk', domain: 'policy-desk' };
  readonly bot = { userId: 'U0FAKEBOT', botId: 'B0FAKEBOT', appId: 'A0FAKEAPP' };
  port = 0;

  private readonly archived = new Set<string>();
  private readonly missing = new Set<string>();
  private readonly failures = new FailureScript<SlackFailure, SlackCall>();
  private readonly waiters = new Waiters('FakeSlack');
  private readonly server = http.createServer((req, res) => void this.onHttp(req, res));
  private clock = 1_700_000_000;

  constructor(opts: FakeSlackOptions = {}) {
    this.token = opts.token ?? 'xoxb-fake-slack-token';
  }

  get slackApiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Posts to this channel get channel_not_found. */
  deleteChannel(id: string): void {
    this.missing.add(id);
  }

  archiveChannel(id: string): void {
    this.archived.add(id);
  }

  /**
   * The next `times` (default 1) calls of `method` (default chat.postMessage) fail this way;
   * optionally only calls whose arguments match `when`.
   */
  failNext(
    failure: SlackFailure,
    opts: { times?: number; method?: string; when?: (args: SlackCall['args']) => boolean } = {},
  ): void {
    const method = opts.method ?? 'chat.postMessage';
    this.failures.add(
      failure,
      opts.times ?? 1,
      (call) => call.method === method && (opts.when === undefined || opts.when(call.args)),
    );
  }

  postsIn(channel: string): SlackPost[] {
    return this.posts.filter((p) => p.channel === channel);
  }

  waitFor(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
    return this.waiters.wait(pred, timeoutMs);
  }

  private async onHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    if (!method || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const call: SlackCall = {
      method,
      headers: req.headers,
      args: parseArgs(Buffer.concat(chunks).toString('utf8'), req.headers['content-type'] ?? ''),
    };
    this.calls.push(call);
    const reply = this.answer(call);
    this.waiters.notify();
    if (reply === 'hold') return; // never answered; stop() closes the socket
    res
      .writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers })
      .end(JSON.stringify(reply.body));
  }

  private answer(call: SlackCall): Reply | 'hold' {
    const failure = this.failures.take(call);
    if (failure?.kind === 'ratelimited') {
      const headers = { 'retry-after': String(failure.retryAfterSec) };
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers };
    }
    if (failure?.kind === 'http') return { status: failure.status, body: { ok: false, error: 'fatal_error' } };
    if (failure?.kind === 'error') return platformError(failure.error);

    // The WebClient sends the token as a Bearer header; the body field is the older form.
    const token = (call.headers.authorization ?? '').replace(/^Bearer /, '') || call.args.token;
    if (!token) return platformError('not_authed');
    if (token !== this.token) return platformError('invalid_auth');

    switch (call.method) {
      case 'auth.test':
        return ok({
          url: `https://${this.team.domain}.slack.com/`,
          team: this.team.name,
          user: 'watchdesk',
          team_id: this.team.id,
          user_id: this.bot.userId,
          bot_id: this.bot.botId,
          is_enterprise_install: false,
        });
      case 'chat.postMessage': {
        const reply = this.postMessage(call.args);
        return failure?.kind === 'hang_after_post' && reply.status === 200 ? 'hold' : reply;
      }
      default:
        return ok({});
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: form fields
  private postMessage(args: Record<string, any>): Reply {
    const channel = String(args.channel ?? '');
    if (!channel) return platformError('channel_not_found');
    if (this.missing.has(channel)) return platformError('channel_not_found');
    if (this.archived.has(channel)) return platformError('is_archived');
    if (!args.text && !(Array.isArray(args.blocks) && args.blocks.length > 0)) return platformError('no_text');
    if (Array.isArray(args.blocks) && args.blocks.length > 50) return platformError('invalid_blocks');
    const ts = `${this.clock++}.000200`;
    const post: SlackPost = { ts, channel, text: args.text, blocks: args.blocks };
    if (args.thread_ts) post.threadTs = String(args.thread_ts);
    this.posts.push(post);
    const message = { type: 'message', bot_id: this.bot.botId, text: args.text, blocks: args.blocks, ts };
    return ok({ channel, ts, message });
  }
}

function ok(fields: Record<string, unknown>): Reply {
  return { status: 200, body: { ok: true, ...fields } };
}

/** Slack reports most failures as HTTP 200 with ok:false. */
function platformError(error: string): Reply {
  return { status: 200, body: { ok: false, error } };
}

// biome-ignore lint/suspicious/noExplicitAny: form fields
function parseArgs(raw: string, contentType: string): Record<string, any> {
  if (!raw) return {};
  if (contentType.startsWith('application/json')) return JSON.parse(raw);
  // biome-ignore lint/suspicious/noExplicitAny: form fields
  const args: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    args[k] = v;
    if (/^[[{]/.test(v)) {
      try {
        args[k] = JSON.parse(v);
      } catch {
        // not JSON after all: keep the string
      }
    }
  }
  return args;
}
