/**
 * The gateway half of the fake Discord: a WebSocket at ws://127.0.0.1:PORT/gateway on the same
 * HTTP server as the REST API. It speaks enough of the protocol for a real discord.js Client to
 * reach ready: HELLO (op 10), IDENTIFY (op 2) → READY + one GUILD_CREATE per guild, HEARTBEAT
 * (op 1) → ACK (op 11), RESUME (op 6) → RESUMED, and dispatch() for any event (e.g.
 * INTERACTION_CREATE for slash commands).
 */
import type http from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

export interface FakeChannel {
  id: string;
  name: string;
  /** 0 text (default), 5 announcement, 11 public thread, 15 forum. */
  type?: number;
  /** A thread's channel. */
  parentId?: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  channels: FakeChannel[];
  /** Roles besides @everyone (whose id is the guild's). */
  roles?: { id: string; name: string }[];
}

export interface GatewayOptions {
  url: () => string;
  botUser: { id: string; username: string };
  applicationId: string;
  guilds: FakeGuild[];
  heartbeatIntervalMs: number;
  /** Called after every frame received, so waiters can re-check. */
  onChange: () => void;
  /** Close the socket with this code on IDENTIFY (4004 authentication failed, 4014 disallowed intents). */
  identifyCloseCode?: () => number | undefined;
}

export class FakeDiscordGateway {
  readonly identifies: unknown[] = [];
  /** RESUME payloads received (op 6): a client that came back to its session instead of starting anew. */
  readonly resumes: { session_id: string; seq: number }[] = [];
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private seq = 0;

  constructor(
    server: http.Server,
    private readonly opts: GatewayOptions,
  ) {
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (ws, req) => this.onConnection(ws, req));
  }

  get connections(): number {
    return this.sockets.size;
  }

  dispatch(t: string, d: unknown): void {
    for (const ws of this.sockets) send(ws, { op: 0, t, s: ++this.seq, d });
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }

  /** Asks every client to reconnect and resume (op 7 RECONNECT). */
  requestReconnect(): void {
    for (const ws of this.sockets) send(ws, { op: 7, d: null, s: null, t: null });
  }

  /** Drops every connection as a network fault would (close code 4000: the client may resume). */
  dropConnections(): void {
    for (const ws of this.sockets) ws.close(4000, 'fake gateway dropped the connection');
  }

  private onConnection(ws: WebSocket, req: http.IncomingMessage): void {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    // discord.js asks for zlib-stream only when the optional zlib-sync package is installed;
    // this fake speaks plain JSON, so fail loudly rather than send frames the client cannot read.
    if (query.get('compress') || (query.get('encoding') ?? 'json') !== 'json') {
      ws.close(4000, 'fake gateway speaks uncompressed JSON only');
      return;
    }
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    send(ws, { op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs }, s: null, t: null });
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as { op: number; d: unknown };
      if (msg.op === 1) send(ws, { op: 11, d: null, s: null, t: null });
      else if (msg.op === 2) {
        this.identifies.push(msg.d);
        const code = this.opts.identifyCloseCode?.();
        if (code) ws.close(code, code === 4014 ? 'Disallowed intent(s).' : 'Authentication failed.');
        else this.sendReady(ws);
      } else if (msg.op === 6) {
        this.resumes.push(msg.d as { session_id: string; seq: number });
        send(ws, { op: 0, t: 'RESUMED', s: ++this.seq, d: {} });
      }
      this.opts.onChange();
    });
    this.opts.onChange();
  }

  private sendReady(ws: WebSocket): void {
    send(ws, {
      op: 0,
      t: 'READY',
      s: ++this.seq,
      d: {
        v: 10,
        user: { ...this.opts.botUser, discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 },
        // Every guild listed here must be followed by GUILD_CREATE, or discord.js waits 15 s.
        guilds: this.opts.guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: `fake-session-${this.seq}`,
        resume_gateway_url: this.opts.url(),
        shard: [0, 1],
        application: { id: this.opts.applicationId, flags: 0 },
      },
    });
    for (const g of this.opts.guilds) send(ws, { op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: this.guildPayload(g) });
  }

  private guildPayload(g: FakeGuild) {
    const everyone = { id: g.id, name: '@everyone', permissions: '2248473465835073', position: 0, color: 0 };
    return {
      id: g.id,
      name: g.name,
      icon: null,
      owner_id: '1900000000000000001',
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [everyone, ...(g.roles ?? []).map((r, i) => ({ ...r, permissions: '0', position: i + 1, color: 0 }))].map(
        (r) => ({ ...r, hoist: false, managed: false, mentionable: false, flags: 0 }),
      ),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_id: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      joined_at: new Date(0).toISOString(),
      large: false,
      unavailable: false,
      member_count: 2,
      members: [],
      voice_states: [],
      presences: [],
      threads: g.channels.filter((c) => isThread(c.type)).map((c, i) => channelPayload(g.id, c, i)),
      stage_instances: [],
      guild_scheduled_events: [],
      channels: g.channels.filter((c) => !isThread(c.type)).map((c, i) => channelPayload(g.id, c, i)),
    };
  }
}

export function isThread(type: number | undefined): boolean {
  return type === 10 || type === 11 || type === 12;
}

/** A guild channel or thread as GUILD_CREATE and GET /channels/{id} describe it. */
export function channelPayload(guildId: string, c: FakeChannel, position = 0) {
  const thread = isThread(c.type)
    ? {
        owner_id: '1900000000000000001',
        thread_metadata: {
          archived: false,
          auto_archive_duration: 1440,
          archive_timestamp: new Date(0).toISOString(),
          locked: false,
        },
        message_count: 0,
        member_count: 1,
      }
    : {};
  return {
    id: c.id,
    type: c.type ?? 0,
    name: c.name,
    position,
    guild_id: guildId,
    permission_overwrites: [],
    nsfw: false,
    parent_id: c.parentId ?? null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    ...thread,
  };
}

function send(ws: WebSocket, payload: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
}
