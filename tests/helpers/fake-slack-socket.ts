/**
 * The Socket Mode half of the fake Slack: a WebSocket at ws://127.0.0.1:PORT/socket-mode on the same HTTP server
 * as the Web API (apps.connections.open hands out its URL). It says `hello` on connect, pushes envelopes
 * (slash_commands, interactive) and records the client's acks, `{envelope_id, payload?}`, as Slack receives them.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

export interface SocketAck {
  envelope_id: string;
  // biome-ignore lint/suspicious/noExplicitAny: whatever the client acked with
  payload?: any;
}

export class FakeSlackSocket {
  readonly acks: SocketAck[] = [];
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();

  constructor(
    server: http.Server,
    private readonly p: { appId: string; onChange: () => void },
  ) {
    this.wss = new WebSocketServer({ server, path: '/socket-mode' });
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Pushes one envelope to every connected client; returns its id (find the ack with ackOf). */
  send(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown): string {
    const envelope_id = randomUUID();
    const frame = { envelope_id, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0 };
    for (const ws of this.sockets) ws.send(JSON.stringify(frame));
    return envelope_id;
  }

  ackOf(envelopeId: string): SocketAck | undefined {
    return this.acks.find((a) => a.envelope_id === envelopeId);
  }

  /** Closes politely first, so a connected client does not log a socket error on the way out. */
  async close(): Promise<void> {
    for (const ws of this.sockets) ws.close(1000);
    if (this.sockets.size > 0) await new Promise((r) => setTimeout(r, 50));
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.p.onChange();
    });
    ws.on('message', (raw) => {
      try {
        this.acks.push(JSON.parse(raw.toString()) as SocketAck);
      } catch {
        // not an ack: Slack would ignore it too
      }
      this.p.onChange();
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake-slack', approximate_connection_time: 18060 },
        connection_info: { app_id: this.p.appId },
      }),
    );
    this.p.onChange();
  }
}
