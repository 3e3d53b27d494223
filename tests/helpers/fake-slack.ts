/**
 * A fake Slack on loopback for the real @slack/web-api WebClient and the real Bolt app, on one port:
 *   - the Web API: POST http://127.0.0.1:PORT/api/<method> (give clients `slackApiUrl: fake.slackApiUrl`);
 *   - response_url sinks: POST http://127.0.0.1:PORT/response/<id> (fake.responseUrl(id)), 5 uses each;
 *   - Socket Mode: ws://127.0.0.1:PORT/socket-mode, handed out by apps.connections.open (fake-slack-socket.ts).
 *
 * The Web API answers auth.test, chat.postMessage (recording channel, thread_ts, text, blocks and metadata),
 * conversations.join / history / replies (messages with their metadata when include_all_metadata is set),
 * users.info and apps.connections.open, checks the bot (or app) token, and keeps a small model of channels: a
 * channel can be deleted, archived, or have the bot removed (public or private). It can be scripted to fail the
 * way Slack does: HTTP 429 + Retry-After with `ratelimited`, `{ok:false, error}`, HTTP 5xx, or "post the
 * message, then never answer" for crash tests. One file, over 300 lines: the three faces share one server,
 * one recorded state and one set of waiters.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeSlackSocket } from './fake-slack-socket.js';
import { FailureScript, Waiters } from './scripted.js';

export interface SlackCall {
  method: string;
  headers: http.IncomingHttpHeaders;
  /** Form or JSON fields; JSON-looking strings (blocks, metadata) are parsed. */
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
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface ResponsePost {
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON body as posted
  body: any;
  useNumber: number;
}

export type SlackFailure =
  | { kind: 'ratelimited'; retryAfterSec: number }
  | { kind: 'error'; error: string }
  | { kind: 'http'; status: number }
  | { kind: 'hang_after_post' };

export interface FakeSlackOptions {
  token?: string;
  appToken?: string;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly posts: SlackPost[] = [];
  readonly responses: ResponsePost[] = [];
  readonly token: string;
  readonly appToken: string;
  readonly team = { id: 'T0FAKETEAM', name: 'Policy desk', domain: 'policy-desk' };
  readonly bot = { userId: 'U0FAKEBOT', botId: 'B0FAKEBOT', appId: 'A0FAKEAPP' };
  /** Workspace members by id; users.info answers from here. */
  readonly users = new Map<string, { name: string; is_admin?: boolean; is_owner?: boolean }>();
  readonly socket: FakeSlackSocket;
  port = 0;

  private readonly archived = new Set<string>();
  private readonly missing = new Set<string>();
  /** Channels the bot is not in, and whether each is private. */
  private readonly outside = new Map<string, { private: boolean }>();
  private readonly failures = new FailureScript<SlackFailure, SlackCall>();
  private readonly responseFailures = new FailureScript<{ status: number; retryAfterSec?: number }, string>();
  private readonly waiters = new Waiters('FakeSlack');
  private readonly server = http.createServer((req, res) => void this.onHttp(req, res));
  private serial = 0;

  constructor(opts: FakeSlackOptions = {}) {
    this.token = opts.token ?? 'xoxb-fake-slack-token';
    this.appToken = opts.appToken ?? 'xapp-fake-slack-app-token';
    this.socket = new FakeSlackSocket(this.server, { appId: this.bot.appId, onChange: () => this.waiters.notify() });
  }

  get slackApiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await this.socket.close();
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

  unarchiveChannel(id: string): void {
    this.archived.delete(id);
  }

  /** The bot is not in this channel: posts get not_in_channel; conversations.join works only if it is public. */
  removeBot(id: string, opts: { private: boolean }): void {
    this.outside.set(id, opts);
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

  /** The next post to this response_url gets this HTTP status (with Retry-After for a 429). */
  failNextResponse(id: string, failure: { status: number; retryAfterSec?: number }): void {
    this.responseFailures.add(failure, 1, (rid) => rid === id);
  }

  postsIn(channel: string): SlackPost[] {
    return this.posts.filter((p) => p.channel === channel);
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): ResponsePost[] {
    return this.responses.filter((r) => r.id === id);
  }

  waitFor(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
    return this.waiters.wait(pred, timeoutMs);
  }

  private async onHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const responseId = /^\/response\/([\w-]+)$/.exec(url.pathname)?.[1];
    if (responseId && req.method === 'POST') {
      this.onResponseUrl(responseId, raw, res);
      return;
    }
    const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    if (!method || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    const call: SlackCall = { method, headers: req.headers, args: parseArgs(raw, req.headers['content-type'] ?? '') };
    this.calls.push(call);
    const reply = this.answer(call);
    this.waiters.notify();
    if (reply === 'hold') return; // never answered; stop() closes the socket
    res
      .writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers })
      .end(JSON.stringify(reply.body));
  }

  /** Slack allows five posts to a response_url; a sixth is refused. */
  private onResponseUrl(id: string, raw: string, res: http.ServerResponse): void {
    const failure = this.responseFailures.take(id);
    if (failure) {
      const headers = failure.retryAfterSec !== undefined ? { 'retry-after': String(failure.retryAfterSec) } : {};
      res.writeHead(failure.status, { 'content-type': 'text/plain', ...headers }).end('rate_limited');
      this.waiters.notify();
      return;
    }
    const useNumber = this.responsesTo(id).length + 1;
    if (useNumber > 5) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('used_url');
      return;
    }
    this.responses.push({ id, body: JSON.parse(raw || '{}'), useNumber });
    this.waiters.notify();
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
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
    const expected = call.method === 'apps.connections.open' ? this.appToken : this.token;
    if (!token) return platformError('not_authed');
    if (token !== expected) return platformError('invalid_auth');

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
      case 'conversations.join':
        return this.join(String(call.args.channel ?? ''));
      case 'conversations.history':
      case 'conversations.replies':
        return this.history(call);
      case 'users.info': {
        const user = this.users.get(String(call.args.user ?? ''));
        if (!user) return platformError('user_not_found');
        return ok({ user: { id: call.args.user, team_id: this.team.id, ...user } });
      }
      case 'apps.connections.open':
        return ok({ url: `ws://127.0.0.1:${this.port}/socket-mode` });
      default:
        return ok({});
    }
  }

  /** Why the bot cannot use this channel, if it cannot. */
  private channelError(channel: string): Reply | undefined {
    if (!channel || this.missing.has(channel)) return platformError('channel_not_found');
    if (this.outside.has(channel)) return platformError('not_in_channel');
    return undefined;
  }

  // biome-ignore lint/suspicious/noExplicitAny: form fields
  private postMessage(args: Record<string, any>): Reply {
    const channel = String(args.channel ?? '');
    const refused = this.channelError(channel);
    if (refused) return refused;
    if (this.archived.has(channel)) return platformError('is_archived');
    if (!args.text && !(Array.isArray(args.blocks) && args.blocks.length > 0)) return platformError('no_text');
    if (Array.isArray(args.blocks) && args.blocks.length > 50) return platformError('invalid_blocks');
    // Like Slack's: seconds now, then a serial that keeps every ts unique and increasing.
    const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.serial).padStart(6, '0')}`;
    const post: SlackPost = { ts, channel, text: args.text, blocks: args.blocks };
    if (args.thread_ts) post.threadTs = String(args.thread_ts);
    if (args.metadata) post.metadata = args.metadata;
    this.posts.push(post);
    return ok({ channel, ts, message: this.message(post, true) });
  }

  /** A public channel lets the bot in; a private one needs a person to /invite it. */
  private join(channel: string): Reply {
    if (!channel || this.missing.has(channel)) return platformError('channel_not_found');
    if (this.archived.has(channel)) return platformError('is_archived');
    const outside = this.outside.get(channel);
    if (outside?.private) return platformError('method_not_supported_for_channel_type');
    this.outside.delete(channel);
    return ok({ channel: { id: channel, is_channel: true, is_private: false, is_member: true } });
  }

  /** conversations.history: the channel's top-level messages, newest first; replies: a thread, oldest first. */
  private history(call: SlackCall): Reply {
    const channel = String(call.args.channel ?? '');
    const refused = this.channelError(channel);
    if (refused) return refused;
    const withMetadata = String(call.args.include_all_metadata) === 'true';
    const oldest = Number(call.args.oldest ?? 0);
    const limit = Number(call.args.limit ?? 100);
    const inChannel = this.postsIn(channel).filter((p) => Number(p.ts) >= oldest);
    const list =
      call.method === 'conversations.replies'
        ? inChannel.filter((p) => p.ts === String(call.args.ts) || p.threadTs === String(call.args.ts))
        : inChannel.filter((p) => !p.threadTs).reverse();
    return ok({ messages: list.slice(0, limit).map((p) => this.message(p, withMetadata)), has_more: false });
  }

  private message(p: SlackPost, withMetadata: boolean): Record<string, unknown> {
    return {
      type: 'message',
      user: this.bot.userId,
      bot_id: this.bot.botId,
      app_id: this.bot.appId,
      text: p.text,
      blocks: p.blocks,
      ts: p.ts,
      ...(p.threadTs ? { thread_ts: p.threadTs } : {}),
      ...(withMetadata && p.metadata ? { metadata: p.metadata } : {}),
    };
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
