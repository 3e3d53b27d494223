import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { configFor } from './context.js';

export function registerDiscord(program: Command): void {
  const discord = program.command('discord').description('Set up the Discord bot');
  discord
    .command('register')
    .description(
      'Register the /digest slash command with Discord (a bulk overwrite: running it again is harmless) and print ' +
        'the invite URL with the scopes and permissions the bot needs',
    )
    .option('--guild <id>', 'register in this server only: it appears at once (global commands can take a while)')
    .action(async (opts: { guild?: string }, cmd: Command) => {
      const config = await configFor(cmd);
      const token = config.secrets.discordToken;
      if (!token) {
        throw new UserError(
          'no_token',
          'DISCORD_TOKEN is not set',
          'Copy the bot token from the Developer Portal (your app → Bot → Reset Token) into DISCORD_TOKEN and run this again.',
        );
      }
      if (opts.guild !== undefined && !/^\d{15,21}$/.test(opts.guild)) {
        throw new UserError(
          'bad_argument',
          `--guild must be a server id (digits), got ${JSON.stringify(opts.guild)}`,
          'In Discord: Server Settings → Widget → Server ID, or right-click the server → Copy Server ID.',
        );
      }
      const { BOT_PERMISSIONS, INVITE_SCOPES, inviteUrl, registerDiscordCommands } = await import(
        '../chat/discord/register.js'
      );
      const result = await registerDiscordCommands({
        token,
        apiBaseUrl: config.discord.apiBaseUrl,
        guildId: opts.guild,
      });
      const where = result.scope === 'global' ? 'in every server the bot is in' : `in server ${result.scope.guild}`;
      const lines = [
        `Registered /digest with ${result.subcommands.length} subcommands ${where} (application ${result.applicationId}):`,
        `  ${result.subcommands.join(', ')}`,
        result.scope === 'global'
          ? 'Global commands can take up to an hour to show in every server; --guild ID shows them in one server at once.'
          : 'They show in that server at once.',
        '',
        'Invite the bot to a server with this URL:',
        `  ${inviteUrl(result.applicationId)}`,
        `  scopes: ${INVITE_SCOPES.join(' ')}`,
        `  permissions: ${Object.keys(BOT_PERMISSIONS).join(', ')}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
