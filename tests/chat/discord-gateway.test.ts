import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordGateway, startDiscordGateway } from '../../src/chat/discord/gateway.js';
import { createLogger } from '../../src/log.js';
import { commandDeps, seedStory } from '../helpers/command-fixtures.js';
import { tempDb } from '../helpers/db.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { chatInputInteraction } from '../helpers/fake-discord-interactions.js';
import { validateDiscordMessage } from '../helpers/payload-validator.js';
import { until } from '../helpers/wait.js';

let fake: FakeDiscord | undefined;
let gateway: DiscordGateway | undefined;
let t: ReturnType<typeof tempDb> | undefined;
afterEach(async () => {
  await gateway?.stop();
  await fake?.stop();
  t?.close();
  gateway = undefined;
  fake = undefined;
});

/** The gateway as `start` runs it, logging into `lines`. */
function start(f: FakeDiscord, over: { token?: string; readyTimeoutMs?: number } = {}) {
  t = tempDb();
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', write: (l) => lines.push(l), secrets: [f.token] });
  gateway = startDiscordGateway({
    token: over.token ?? f.token,
    apiBaseUrl: f.restApi,
    adminRoles: [],
    commands: commandDeps(t.sql),
    log,
    readyTimeoutMs: over.readyTimeoutMs ?? 60_000,
    retryMs: 60_000,
  });
  const said = (re: RegExp) => lines.filter((l) => re.test(l));
  return { lines, said };
}

describe('Discord gateway trouble is said once, with what to do, and never throws', () => {
  it('a token Discord rejects at REST (401)', async () => {
    fake = await new FakeDiscord().start();
    const { said, lines } = start(fake, { token: 'not-the-token' });
    expect(await until(() => said(/Discord refused DISCORD_TOKEN/).length > 0, 10_000)).toBe(true);
    expect(said(/Discord refused DISCORD_TOKEN/)).toHaveLength(1);
    expect(said(/Discord refused DISCORD_TOKEN/)[0]).toContain('set DISCORD_TOKEN and restart');
    expect(lines.join('\n')).not.toContain('not-the-token');
  });

  it.each([
    [4004, /Discord refused DISCORD_TOKEN \(the gateway closed with 4004\)/],
    [4014, /Discord refused a privileged intent/],
  ])('a gateway close %i', async (code, re) => {
    fake = await new FakeDiscord({ identifyCloseCode: code }).start();
    const { said } = start(fake);
    expect(await until(() => said(re).length > 0, 15_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(said(re)).toHaveLength(1);
    expect(fake.identifies.length).toBeGreaterThan(0);
  });

  it('a gateway that will not connect', async () => {
    fake = await new FakeDiscord().start();
    fake.advertisedGateway = `ws://127.0.0.1:${await closedPort()}/gateway`;
    const { said } = start(fake, { readyTimeoutMs: 1_500 });
    expect(await until(() => said(/has not connected/).length > 0, 10_000)).toBe(true);
    expect(said(/has not connected/)[0]).toContain('digests still go out over REST');
    expect(gateway?.client.isReady()).toBe(false);
  });

  it('reaches ready on a healthy fake', async () => {
    fake = await new FakeDiscord().start();
    const { said } = start(fake);
    await gateway?.ready;
    expect(said(/Discord gateway ready/)).toHaveLength(1);
    expect(fake.identifies[0]).toMatchObject({ intents: 1 });
  });
});

describe('a long answer', () => {
  it('latest with a large count defers, edits the reply with the first part and follows up with the rest', async () => {
    const f = await new FakeDiscord().start();
    fake = f;
    start(f);
    for (let i = 0; i < 14; i++) {
      await seedStory(t!.sql, {
        title: `Ofcom sets age check duty number ${i}`,
        topics: { 'child-safety': 0.8 },
        reports: [{ outlet: 'Wire', hoursAgo: 20 - i }],
      });
    }
    await gateway?.ready;
    const { id, token } = f.interact(chatInputInteraction(f.where(), {}, 'latest', { count: 14 }));
    await f.waitFor(() => f.interactionReplies(id, token).filter((r) => r.path.startsWith('/webhooks/')).length >= 2);
    const replies = f.interactionReplies(id, token);
    expect(
      replies.map(
        (r) =>
          `${r.method} ${r.path.endsWith('/callback') ? 'callback' : r.path.endsWith('@original') ? '@original' : 'follow-up'}`,
      ),
    ).toEqual(['POST callback', 'PATCH @original', 'POST follow-up']);
    expect(replies[0]?.body.type).toBe(5);
    const [edit, follow] = [replies[1]?.body, replies[2]?.body];
    // 14 stories under their heading, which the second message repeats as "(continued)".
    expect(edit.embeds.length + follow.embeds.length).toBe(16);
    expect(follow.embeds[0].title).toBe('All topics (continued)');
    expect(follow.content).toBe('**Latest stories** (2/2)');
    for (const m of [edit, follow]) expect(validateDiscordMessage(m)).toEqual([]);
  });
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
