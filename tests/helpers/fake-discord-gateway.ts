/**
 * The gateway half of the fake Discord: a WebSocket at ws://127.0.0.1:PORT/gateway on the same
 * HTTP server as the REST API. It speaks enough of the protocol for a real discord.js Client to
 * reach ready: HELLO (op 10), IDENTIFY (op 2) → READY + one GUILD_CREATE per guild, HEARTBEAT
 * (op 1) → ACK (op 11), RESUME (op 6) → RESUMED, and dispatch() for any event (e.g.
 * INTERACTION_CREATE for slash commands).
 */
import type http from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

export interface FakeGuild {
  id: string;
  name: string;
  channels: { id: string; name: string }[];
}

export interface GatewayOptions {
  url: () => string;
  botUser: { id: string; username: string };
  applicationId: string;
  guilds: FakeGuild[];
  heartbeatIntervalMs: number;
  /** Called after every frame received, so waiters can re-check. */
  onChange: () => void;
}

export class FakeDiscordGateway {
  readonly identifies: unknown[] = [];
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
        this.sendReady(ws);
      } else if (msg.op === 6) send(ws, { op: 0, t: 'RESUMED', s: ++this.seq, d: {} });
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
      roles: [{ ...everyone, hoist: false, managed: false, mentionable: false, flags: 0 }],
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
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      channels: g.channels.map((c, i) => ({
        id: c.id,
        type: 0,
        name: c.name,
        position: i,
        guild_id: g.id,
        permission_overwrites: [],
        nsfw: false,
        parent_id: null,
        topic: null,
        last_message_id: null,
        rate_limit_per_user: 0,
      })),
    };
  }
}

function send(ws: WebSocket, payload: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
}
