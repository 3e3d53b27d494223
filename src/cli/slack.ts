import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { configFor } from './context.js';

interface ManifestOptions {
  mode?: string;
  url?: string;
  json?: boolean;
}

export function registerSlack(program: Command): void {
  const slack = program.command('slack').description('Set up the Slack app');
  slack
    .command('manifest')
    .description(
      'Print the Slack app manifest (from the /digest command registry): paste it at api.slack.com/apps → Create New App → From a manifest',
    )
    .option(
      '--mode <mode>',
      'http (Slack calls --url) or socket (Socket Mode, behind a firewall); default: as the bot would run',
    )
    .option(
      '--url <url>',
      'HTTP mode: the public https URL of this bot, e.g. https://watchdesk.example.org/slack/events',
    )
    .option('--json', 'print JSON instead of YAML')
    .action(async (opts: ManifestOptions, cmd: Command) => {
      const config = await configFor(cmd);
      const mode = manifestMode(opts, config.slack.mode, config.secrets);
      const url = mode === 'http' ? requestUrl(opts.url) : undefined;
      const { COMMANDS } = await import('../commands/registry.js');
      const { SLACK_BOT_SCOPES, slackManifest } = await import('../commands/slack-manifest.js');
      const manifest = slackManifest(COMMANDS, { name: config.bot.name, mode, ...(url ? { url } : {}) });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
        return;
      }
      const { stringify } = await import('yaml');
      const notes = [
        `Slack app manifest for ${config.bot.name} (${mode === 'http' ? `HTTP mode, ${url}` : 'Socket Mode'}).`,
        'Paste it at https://api.slack.com/apps → Create New App → From a manifest, then install the app.',
        'Bot scopes:',
        ...SLACK_BOT_SCOPES.map((s) => `  ${s.scope}: ${s.why}`),
      ];
      process.stdout.write(`${notes.map((n) => `# ${n}`).join('\n')}\n${stringify(manifest, { lineWidth: 0 })}`);
    });
}

/** --mode, else --url means HTTP, else the mode the bot itself would run in, else Socket Mode (no URL needed). */
function manifestMode(
  opts: ManifestOptions,
  configured: 'http' | 'socket' | undefined,
  secrets: { slackSigningSecret?: string; slackAppToken?: string },
): 'http' | 'socket' {
  if (opts.mode !== undefined) {
    if (opts.mode === 'http' || opts.mode === 'socket') return opts.mode;
    throw new UserError('bad_argument', `--mode must be http or socket, not "${opts.mode}"`);
  }
  if (opts.url) return 'http';
  return configured ?? (secrets.slackSigningSecret ? 'http' : 'socket');
}

/** The https URL Slack will call; a bare host gets /slack/events, where the bot listens. */
function requestUrl(raw: string | undefined): string {
  const example = 'e.g. --url https://watchdesk.example.org/slack/events';
  if (!raw) {
    throw new UserError(
      'bad_argument',
      'HTTP mode needs --url: the public https address Slack sends /digest to',
      `Give it, ${example}, or use --mode socket (no public address needed).`,
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError('bad_argument', `--url is not a URL: "${raw}"`, `Give a full https URL, ${example}.`);
  }
  if (url.protocol !== 'https:') {
    throw new UserError(
      'bad_argument',
      `--url must be https (Slack sends requests to https URLs only), not "${raw}"`,
      'Put the bot behind a TLS proxy or a tunnel, or use --mode socket.',
    );
  }
  if (url.pathname === '/') url.pathname = '/slack/events';
  return url.toString();
}
