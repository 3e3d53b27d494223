/**
 * A fake Discord on one loopback port, for real discord.js / @discordjs/rest clients:
 *   REST     http://127.0.0.1:PORT/api/v10/...   (give clients `api: fake.restApi`, no version)
 *   gateway  ws://127.0.0.1:PORT/gateway         (advertised by GET /gateway/bot)
 *
 * It keeps the messages it created, honours `nonce` + `enforce_nonce` the way Discord does
 * (same author, same nonce within the window: the earlier message comes back, nothing new is
 * created), and can be scripted to fail: 429 with Retry-After and X-RateLimit-* headers, 5xx,
 * 403 (50001, 50013), 404 (10003), or "create the message, then never answer" for crash tests;
 * failNextRequest() does the same for any route (interaction callbacks, webhooks).
 * Forum channels (type 15) refuse plain messages as Discord does (50008) and take posts through
 * POST /channels/{id}/threads. Interactions are dispatched with interact() (payloads from
 * fake-discord-interactions.ts) and their replies read back with interactionReplies().
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { channelPayload, FakeDiscordGateway, type FakeGuild } from './fake-discord-gateway.js';
import type { InteractionWhere } from './fake-discord-interactions.js';
import { FailureScript, Waiters } from './scripted.js';

export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, percent-decoded (discord.js sends @original as %40original). */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are whatever the client sent
  body: any;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  nonce?: string;
  // biome-ignore lint/suspicious/noExplicitAny: the body as posted
  body: any;
  createdAt: number;
}

export type DiscordFailure =
  | { kind: 'rate_limit'; retryAfterSec: number; global?: boolean }
  | { kind: 'server_error'; status?: number }
  | { kind: 'missing_access' }
  | { kind: 'missing_permissions' }
  | { kind: 'unknown_channel' }
  /** Creates the message as usual, then holds the response forever (the client sees no answer). */
  | { kind: 'hang_after_create' };

export interface FakeDiscordOptions {
  /** The bot token REST calls must carry ("Authorization: Bot <token>"). */
  token?: string;
  botUser?: { id: string; username: string };
  applicationId?: string;
  guilds?: FakeGuild[];
  heartbeatIntervalMs?: number;
  /** How long a nonce is remembered (Discord: "a few minutes"). */
  nonceWindowMs?: number;
  /** The fake's clock (message times, the nonce window): tests move it to leave the window without waiting. */
  now?: () => number;
  /** Close the gateway on IDENTIFY with this code: 4004 (bad token) or 4014 (disallowed intents). */
  identifyCloseCode?: number;
}

export type { FakeGuild };

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** Messages posted into channels and threads (not interaction replies: see interactionReplies). */
  readonly messages: FakeMessage[] = [];
  /** Forum posts created (POST /channels/{forum}/threads): the thread, its name and its forum. */
  readonly forumPosts: { threadId: string; forumId: string; name: string }[] = [];
  identifyCloseCode: number | undefined;
  /** What GET /gateway/bot advertises instead of this fake's own gateway (e.g. a port nothing listens on). */
  advertisedGateway: string | undefined;
  readonly token: string;
  readonly botUser: { id: string; username: string };
  readonly applicationId: string;
  readonly guilds: FakeGuild[];
  port = 0;

  private readonly channels = new Map<string, { guildId: string; name: string; type: number; parentId?: string }>();
  private readonly failures = new FailureScript<DiscordFailure, { channelId: string; body: RecordedRequest['body'] }>();
  private readonly requestFailures = new FailureScript<DiscordFailure, RecordedRequest>();
  private readonly server = http.createServer((req, res) => void this.onHttp(req, res));
  private readonly gateway: FakeDiscordGateway;
  private readonly waiters = new Waiters('FakeDiscord');
  private readonly nonceWindowMs: number;
  private readonly now: () => number;
  private nextId = 1_400_000_000_000_000_000n;

  constructor(opts: FakeDiscordOptions = {}) {
    this.token = opts.token ?? 'fake-discord-token';
    this.botUser = opts.botUser ?? { id: '1100000000000000001', username: 'watchdesk' };
    this.applicationId = opts.applicationId ?? this.botUser.id;
    this.guilds = opts.guilds ?? [
      { id: '1200000000000000001', name: 'Policy desk', channels: [{ id: '1300000000000000001', name: 'digest' }] },
    ];
    for (const g of this.guilds) {
      for (const c of g.channels)
        this.addChannel(c.id, { guildId: g.id, name: c.name, type: c.type, parentId: c.parentId });
    }
    this.identifyCloseCode = opts.identifyCloseCode;
    this.nonceWindowMs = opts.nonceWindowMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
    this.gateway = new FakeDiscordGateway(this.server, {
      url: () => this.gatewayUrl,
      botUser: this.botUser,
      applicationId: this.applicationId,
      guilds: this.guilds,
      heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250,
      onChange: () => this.waiters.notify(),
      identifyCloseCode: () => this.identifyCloseCode,
    });
  }

  get restApi(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A channel (or thread: type 11, a channel of its own on Discord; a forum: 15) that messages may be posted to. */
  addChannel(id: string, opts: { guildId?: string; name?: string; type?: number; parentId?: string } = {}): void {
    const guildId = opts.guildId ?? this.guilds[0]?.id ?? '0';
    this.channels.set(id, {
      guildId,
      name: opts.name ?? `channel-${id}`,
      type: opts.type ?? 0,
      parentId: opts.parentId,
    });
  }

  /** Simulates a deleted channel: later posts get 404 code 10003. */
  deleteChannel(id: string): void {
    this.channels.delete(id);
  }

  /**
   * The next `times` (default 1) message creates fail this way; optionally only in one channel
   * or only for bodies matching `when` (e.g. the second part of a digest).
   */
  // biome-ignore lint/suspicious/noExplicitAny: the posted body
  failNext(failure: DiscordFailure, opts: { times?: number; channelId?: string; when?: (body: any) => boolean } = {}) {
    this.failures.add(
      failure,
      opts.times ?? 1,
      (r) =>
        (opts.channelId === undefined || opts.channelId === r.channelId) &&
        (opts.when === undefined || opts.when(r.body)),
    );
  }

  /** The next `times` requests matching `match` (any route: interaction callbacks, webhooks…) fail this way. */
  failNextRequest(failure: DiscordFailure, match: (r: RecordedRequest) => boolean, times = 1): void {
    this.requestFailures.add(failure, times, match);
  }

  /** Interaction responses as received: the callback, then edits of @original and follow-ups, in order. */
  interactionReplies(interactionId: string, token: string): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        r.path === `/interactions/${interactionId}/${token}/callback` ||
        r.path.startsWith(`/webhooks/${this.applicationId}/${token}`),
    );
  }

  /** Resolves with the first recorded request matching `pred` (now or later). */
  async waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
    await this.waitFor(() => this.requests.some(pred), timeoutMs);
    return this.requests.find(pred) as RecordedRequest;
  }

  /** Asks connected clients to reconnect and resume (op 7). */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  /** Drops every gateway connection as a network fault would. */
  dropGatewayConnections(): void {
    this.gateway.dropConnections();
  }

  get resumes(): { session_id: string; seq: number }[] {
    return this.gateway.resumes;
  }

  messagesIn(channelId: string): FakeMessage[] {
    return this.messages.filter((m) => m.channelId === channelId);
  }

  /** Message-create requests as received, including repeats that returned an existing message. */
  messagePosts(channelId?: string): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        r.method === 'POST' &&
        /^\/channels\/\d+\/messages$/.test(r.path) &&
        (channelId === undefined || r.path === `/channels/${channelId}/messages`),
    );
  }

  waitFor(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
    return this.waiters.wait(pred, timeoutMs);
  }

  /** Where an interaction happens: a channel of the first guild (its first channel by default), or a thread. */
  where(channelId?: string): InteractionWhere {
    const id = channelId ?? this.guilds[0]?.channels[0]?.id ?? '0';
    const c = this.channels.get(id);
    return {
      applicationId: this.applicationId,
      guildId: c?.guildId ?? this.guilds[0]?.id ?? '0',
      channelId: id,
      channelType: c?.type ?? 0,
      ...(c?.parentId ? { parentId: c.parentId } : {}),
    };
  }

  /** Dispatches INTERACTION_CREATE; returns the interaction's id and token, to read its replies with. */
  interact(payload: { id: string; token: string }): { id: string; token: string } {
    this.dispatch('INTERACTION_CREATE', payload);
    return { id: payload.id, token: payload.token };
  }

  /** Sends a gateway DISPATCH (op 0), e.g. INTERACTION_CREATE, to every connected client. */
  dispatch(t: string, d: unknown): void {
    this.gateway.dispatch(t, d);
  }

  get gatewayConnections(): number {
    return this.gateway.connections;
  }

  /** IDENTIFY payloads received, one per gateway session. */
  get identifies(): unknown[] {
    return this.gateway.identifies;
  }

  // --------------------------------------------------------------------- REST

  private async onHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, ''),
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseBody(raw, req.headers['content-type'] ?? ''),
    };
    this.requests.push(rec);
    const reply = this.route(rec);
    this.waiters.notify();
    if (reply === 'hold') return; // never answered; stop() closes the socket
    const headers = { 'content-type': 'application/json', ...reply.headers };
    if (reply.body === undefined) res.writeHead(reply.status, reply.headers).end();
    else res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
  }

  private route(r: RecordedRequest): Reply | 'hold' {
    const match = (method: string | undefined, re: RegExp) =>
      method === undefined || r.method === method ? re.exec(r.path) : null;
    // Interaction callbacks and webhooks authenticate by their token in the path, not the bot token.
    const tokenInPath = /^\/(interactions|webhooks)\//.test(r.path);
    if (!tokenInPath && r.headers.authorization !== `Bot ${this.token}`) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    }
    const scripted = this.requestFailures.take(r);
    if (scripted && scripted.kind !== 'hang_after_create') return failureReply(scripted);
    if (r.method === 'GET' && (r.path === '/applications/@me' || r.path === '/oauth2/applications/@me')) {
      return { status: 200, body: { id: this.applicationId, name: this.botUser.username, bot_public: true, flags: 0 } };
    }
    if (r.method === 'GET' && r.path === '/gateway/bot') {
      const limit = { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 };
      return {
        status: 200,
        body: { url: this.advertisedGateway ?? this.gatewayUrl, shards: 1, session_start_limit: limit },
      };
    }
    if (r.method === 'GET' && r.path === '/gateway') return { status: 200, body: { url: this.gatewayUrl } };
    if (r.method === 'GET' && r.path === '/users/@me') {
      return { status: 200, body: { ...this.botUser, discriminator: '0', avatar: null, bot: true } };
    }
    const post = match('POST', /^\/channels\/(\d+)\/messages$/);
    if (post) return this.createMessage(post[1] as string, r.body?.payload_json ?? r.body);
    const thread = match('POST', /^\/channels\/(\d+)\/threads$/);
    if (thread) return this.createForumPost(thread[1] as string, r.body);
    const history = match('GET', /^\/channels\/(\d+)\/messages$/);
    if (history) return this.channelHistory(history[1] as string, Number(r.query.limit ?? 50));
    const get = match('GET', /^\/channels\/(\d+)$/);
    if (get) {
      const c = this.channels.get(get[1] as string);
      if (!c) return unknownChannel();
      return { status: 200, body: channelPayload(c.guildId, { id: get[1] as string, ...c }) };
    }
    const commands = match(undefined, /^\/applications\/(\d+)\/(?:guilds\/\d+\/)?commands$/);
    if (commands) {
      if (r.method === 'GET') return { status: 200, body: [] };
      if (r.method === 'PUT') {
        const defs = (Array.isArray(r.body) ? r.body : []) as Record<string, unknown>[];
        const ids = defs.map(() => (this.nextId++).toString());
        return {
          status: 200,
          body: defs.map((c, i) => ({ id: ids[i], application_id: commands[1], version: '1', type: 1, ...c })),
        };
      }
    }
    if (r.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(r.path)) return { status: 204 };
    const webhook = match(undefined, /^\/webhooks\/(\d+)\/[^/]+(?:\/messages\/@original)?$/);
    if (webhook) {
      if (r.method === 'DELETE') return { status: 204 };
      // Interaction replies are not kept with channel messages: tests read them with interactionReplies().
      const body = r.body?.payload_json ?? r.body ?? {};
      const msg: FakeMessage = { id: (this.nextId++).toString(), channelId: '0', body, createdAt: this.now() };
      return { status: 200, body: { ...this.messageBody(msg), webhook_id: webhook[1] } };
    }
    return { status: 404, body: { message: '404: Not Found', code: 0 } };
  }

  // biome-ignore lint/suspicious/noExplicitAny: the posted body
  private createMessage(channelId: string, body: any): Reply | 'hold' {
    const failure = this.failures.take({ channelId, body });
    if (failure && failure.kind !== 'hang_after_create') return failureReply(failure);
    const channel = this.channels.get(channelId);
    if (!channel) return unknownChannel();
    if (channel.type === 15 || channel.type === 16) {
      return { status: 400, body: { message: 'Cannot send messages in a non-text channel', code: 50008 } };
    }
    const nonce = body?.nonce === undefined ? undefined : String(body.nonce);
    if (nonce !== undefined && nonce.length > 25) {
      return invalidForm('nonce', 'Must be 25 or fewer in length.');
    }
    if (!body?.content && !(Array.isArray(body?.embeds) && body.embeds.length > 0)) {
      return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
    }
    let msg = nonce && body.enforce_nonce === true ? this.recentByNonce(nonce) : undefined;
    msg ??= this.storeMessage(channelId, body, nonce);
    if (failure?.kind === 'hang_after_create') return 'hold';
    return { status: 200, body: this.messageBody(msg) };
  }

  /** A forum post: a new thread in the forum whose starter message has the thread's id, as on Discord. */
  // biome-ignore lint/suspicious/noExplicitAny: the posted body
  private createForumPost(forumId: string, body: any): Reply {
    const failure = this.failures.take({ channelId: forumId, body: body?.message });
    if (failure && failure.kind !== 'hang_after_create') return failureReply(failure);
    const forum = this.channels.get(forumId);
    if (!forum) return unknownChannel();
    if (forum.type !== 15 && forum.type !== 16) {
      return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
    }
    const name = String(body?.name ?? '');
    if (name.length < 1 || name.length > 100) return invalidForm('name', 'Must be between 1 and 100 in length.');
    const threadId = (this.nextId++).toString();
    this.addChannel(threadId, { guildId: forum.guildId, name, type: 11, parentId: forumId });
    this.forumPosts.push({ threadId, forumId, name });
    const msg: FakeMessage = { id: threadId, channelId: threadId, body: body?.message ?? {}, createdAt: this.now() };
    this.messages.push(msg);
    const channel = channelPayload(forum.guildId, { id: threadId, name, type: 11, parentId: forumId });
    return { status: 201, body: { ...channel, message: this.messageBody(msg) } };
  }

  /** GET /channels/{id}/messages: the latest messages, newest first, as Discord lists them (no nonce in them). */
  private channelHistory(channelId: string, limit: number): Reply {
    if (!this.channels.has(channelId)) return unknownChannel();
    const list = this.messages.filter((m) => m.channelId === channelId).slice(-Math.min(100, Math.max(1, limit)));
    return {
      status: 200,
      body: list.reverse().map((m) => {
        const { nonce: _nonce, ...listed } = this.messageBody(m);
        return listed;
      }),
    };
  }

  private recentByNonce(nonce: string): FakeMessage | undefined {
    const since = this.now() - this.nonceWindowMs;
    // Discord scopes the check to the author; every message here is the bot's own.
    return this.messages.find((m) => m.nonce === nonce && m.createdAt >= since);
  }

  // biome-ignore lint/suspicious/noExplicitAny: the posted body
  private storeMessage(channelId: string, body: any, nonce?: string): FakeMessage {
    const msg: FakeMessage = { id: (this.nextId++).toString(), channelId, nonce, body, createdAt: this.now() };
    this.messages.push(msg);
    return msg;
  }

  private messageBody(msg: FakeMessage) {
    return {
      id: msg.id,
      channel_id: msg.channelId,
      type: 0,
      content: msg.body?.content ?? '',
      embeds: msg.body?.embeds ?? [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      flags: 0,
      timestamp: new Date(msg.createdAt).toISOString(),
      edited_timestamp: null,
      ...(msg.nonce === undefined ? {} : { nonce: msg.nonce }),
      author: { ...this.botUser, discriminator: '0', avatar: null, bot: true, global_name: null },
    };
  }
}

function failureReply(f: Exclude<DiscordFailure, { kind: 'hang_after_create' }>): Reply {
  switch (f.kind) {
    case 'rate_limit': {
      const headers: Record<string, string> = {
        'retry-after': String(f.retryAfterSec),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Date.now() / 1000 + f.retryAfterSec),
        'x-ratelimit-reset-after': String(f.retryAfterSec),
        'x-ratelimit-bucket': 'fake-channel-messages',
        'x-ratelimit-scope': f.global ? 'global' : 'user',
        ...(f.global ? { 'x-ratelimit-global': 'true' } : {}),
      };
      const body = { message: 'You are being rate limited.', retry_after: f.retryAfterSec, global: !!f.global };
      return { status: 429, body, headers };
    }
    case 'server_error':
      return { status: f.status ?? 500, body: { message: 'Internal Server Error', code: 0 } };
    case 'missing_access':
      return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    case 'missing_permissions':
      return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
    case 'unknown_channel':
      return unknownChannel();
  }
}

function unknownChannel(): Reply {
  return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
}

function invalidForm(field: string, message: string): Reply {
  const errors = { [field]: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message }] } };
  return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors } };
}

function parseBody(raw: string, contentType: string): unknown {
  if (!raw) return undefined;
  if (contentType.startsWith('application/json')) return JSON.parse(raw);
  if (contentType.startsWith('multipart/form-data')) {
    // discord.js switches to multipart when files are attached; the JSON travels as payload_json.
    const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
    const section = boundary ? raw.split(`--${boundary}`).find((s) => s.includes('name="payload_json"')) : undefined;
    const json = section?.slice(section.indexOf('\r\n\r\n') + 4).trim();
    return { payload_json: json ? JSON.parse(json) : undefined };
  }
  return raw;
}
