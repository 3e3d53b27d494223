/**
 * The Discord application command for the registry: one `/digest` with a subcommand per command. Generated, never
 * written by hand, so Discord shows exactly the options the registry validates. No default_member_permissions:
 * Discord would apply it to the whole of /digest, and everyone may read; admin subcommands are checked when run.
 */
import type { CommandDef, OptionDef } from './types.js';

/** Discord's option types. */
const SUB_COMMAND = 1;
const STRING = 3;
const INTEGER = 4;

export interface DiscordOptionJson {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  min_value?: number;
  max_value?: number;
  max_length?: number;
  autocomplete?: boolean;
  choices?: { name: string; value: string }[];
  options?: DiscordOptionJson[];
}

export interface DiscordCommandJson {
  name: string;
  description: string;
  type: 1;
  /** Guilds only: subscriptions belong to a server's channels. */
  contexts: number[];
  integration_types: number[];
  options: DiscordOptionJson[];
}

export function discordCommandDefinitions(commands: readonly CommandDef[]): DiscordCommandJson[] {
  return [
    {
      name: 'digest',
      description: 'News digests for this channel: latest, search, subscribe and more',
      type: 1,
      contexts: [0],
      integration_types: [0],
      options: commands.map((c) => ({
        type: SUB_COMMAND,
        name: c.name,
        description: short(c.description, c.permission === 'admin' ? ' (admins)' : ''),
        options: c.options.map(option),
      })),
    },
  ];
}

function option(o: OptionDef): DiscordOptionJson {
  const out: DiscordOptionJson = {
    type: o.type === 'integer' ? INTEGER : STRING,
    name: o.name,
    description: short(o.description),
  };
  if (o.required) out.required = true;
  if (o.min !== undefined) out.min_value = o.min;
  if (o.max !== undefined) out.max_value = o.max;
  if (o.maxLength !== undefined) out.max_length = o.maxLength;
  if (o.choices) out.choices = o.choices.map((c) => ({ name: c, value: c }));
  else if (o.autocomplete) out.autocomplete = true;
  return out;
}

/** Discord rejects descriptions over 100 characters; a suffix such as " (admins)" is kept whole. */
function short(text: string, suffix = ''): string {
  const room = 100 - suffix.length;
  return `${text.length <= room ? text : `${text.slice(0, room - 1).trimEnd()}…`}${suffix}`;
}
