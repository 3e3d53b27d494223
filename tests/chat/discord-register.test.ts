import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botPermissionBits, inviteUrl, registerDiscordCommands } from '../../src/chat/discord/register.js';
import { COMMANDS } from '../../src/commands/registry.js';
import { UserError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { FakeDiscord } from '../helpers/fake-discord.js';

describe('watchdesk discord register', () => {
  let fake: FakeDiscord;
  let dir: string;
  beforeAll(async () => {
    fake = await new FakeDiscord({ applicationId: '1100000000000000042' }).start();
    dir = mkdtempSync(path.join(tmpdir(), 'watchdesk-register-'));
  });
  afterAll(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bulk-overwrites /digest globally or in one server: running it twice sends the same PUT, never a POST', async () => {
    const first = await registerDiscordCommands({ token: fake.token, apiBaseUrl: fake.restApi });
    const second = await registerDiscordCommands({ token: fake.token, apiBaseUrl: fake.restApi });
    expect(second).toEqual(first);
    expect(first.applicationId).toBe('1100000000000000042');
    expect(first.subcommands).toContain('subscribe');
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([
      '/applications/1100000000000000042/commands',
      '/applications/1100000000000000042/commands',
    ]);
    expect(puts[1]?.body).toEqual(puts[0]?.body);
    expect(fake.requests.some((r) => r.method === 'POST' && r.path.includes('/commands'))).toBe(false);
    await registerDiscordCommands({ token: fake.token, apiBaseUrl: fake.restApi, guildId: '1200000000000000001' });
    expect(fake.requests.at(-1)?.path).toBe('/applications/1100000000000000042/guilds/1200000000000000001/commands');
  });

  it('a bad token is a clear error that does not echo it', async () => {
    const err = await registerDiscordCommands({ token: 'wrong-token', apiBaseUrl: fake.restApi }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('Discord rejected the bot token (401)');
    expect((err as UserError).hint).toContain('DISCORD_TOKEN');
  });

  it('the invite URL asks for exactly bot + applications.commands and the four channel permissions', () => {
    const url = new URL(inviteUrl('1100000000000000042'));
    expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
    expect(url.searchParams.get('scope')).toBe('bot applications.commands');
    // View Channels 1024 + Send Messages 2048 + Embed Links 16384 + Send Messages in Threads 2^38
    expect(url.searchParams.get('permissions')).toBe(String(1024 + 2048 + 16384 + 2 ** 38));
    expect(botPermissionBits()).toBe(274877926400n);
  });

  it('prints what it registered and the invite URL; says what to do without a token', async () => {
    const config = path.join(dir, 'c.yaml');
    writeFileSync(config, `discord:\n  apiBaseUrl: ${fake.restApi}\n`);
    const ok = await runCli(['--config', config, 'discord', 'register', '--guild', '1200000000000000001'], {
      DISCORD_TOKEN: fake.token,
    });
    expect(ok.code).toBe(0);
    // every command in the shared registry becomes one subcommand, so adding one cannot go unregistered
    expect(ok.stdout).toContain(`Registered /digest with ${COMMANDS.length} subcommands in server 1200000000000000001`);
    expect(ok.stdout).toContain(COMMANDS.map((c) => c.name).join(', '));
    expect(ok.stdout).toContain(
      'https://discord.com/oauth2/authorize?client_id=1100000000000000042&scope=bot%20applications.commands&permissions=274877926400',
    );
    expect(ok.stdout).toContain('permissions: View Channels, Send Messages, Send Messages in Threads, Embed Links');
    const none = await runCli(['--config', config, 'discord', 'register']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('DISCORD_TOKEN is not set');
  }, 60_000);
});
