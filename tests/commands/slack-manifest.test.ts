import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS } from '../../src/commands/registry.js';
import { slackManifest } from '../../src/commands/slack-manifest.js';
import { runCli } from '../helpers/cli.js';

describe('the Slack app manifest, generated from the registry', () => {
  it('HTTP mode: /digest and interactivity point at the URL; the exact bot scopes; no Socket Mode', () => {
    const m = slackManifest(COMMANDS, { name: 'policybot', mode: 'http', url: 'https://bot.example.org/slack/events' });
    expect(m).toMatchObject({
      display_information: { name: 'policybot' },
      features: {
        bot_user: { display_name: 'policybot' },
        slash_commands: [{ command: '/digest', url: 'https://bot.example.org/slack/events', should_escape: false }],
      },
      oauth_config: {
        scopes: {
          bot: ['commands', 'chat:write', 'channels:join', 'channels:history', 'groups:history', 'users:read'],
        },
      },
      settings: {
        interactivity: { is_enabled: true, request_url: 'https://bot.example.org/slack/events' },
        socket_mode_enabled: false,
      },
    });
    // Every command in the registry, and only those, in the hint.
    const hint = (m.features as { slash_commands: { usage_hint: string }[] }).slash_commands[0]?.usage_hint;
    expect(hint?.split(' | ')).toEqual(COMMANDS.map((c) => c.name));
  });

  it('Socket Mode: no URL anywhere, interactivity still on', () => {
    const m = slackManifest(COMMANDS, { name: 'watchdesk', mode: 'socket' });
    expect(JSON.stringify(m)).not.toContain('"url"');
    expect(JSON.stringify(m)).not.toContain('request_url');
    expect(m.settings).toMatchObject({ interactivity: { is_enabled: true }, socket_mode_enabled: true });
  });

  it('watchdesk slack manifest prints YAML a person can paste; a missing or plain-http URL is a clear error', async () => {
    const http = await runCli(['slack', 'manifest', '--url', 'https://bot.example.org']);
    expect(http.code).toBe(0);
    const m = parse(http.stdout);
    expect(m.settings.interactivity.request_url).toBe('https://bot.example.org/slack/events');
    expect(http.stdout).toMatch(/^# {3}channels:join: join a public channel/m);
    const noUrl = await runCli(['slack', 'manifest', '--mode', 'http']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('HTTP mode needs --url');
    const plain = await runCli(['slack', 'manifest', '--url', 'http://bot.example.org/slack/events']);
    expect(plain.stderr).toContain('--url must be https');
  }, 90_000);
});
