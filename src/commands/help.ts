import { example, usage } from './input.js';
import { code, type Line, reply } from './reply.js';
import type { CommandDef } from './types.js';

/** Built from the registry it is part of, so the list can never miss a command. */
export function helpCommand(all: () => readonly CommandDef[]): CommandDef {
  return {
    name: 'help',
    description: 'What each /digest command does and how to type it',
    permission: 'everyone',
    ephemeral: true,
    options: [],
    run(_deps, inv) {
      return reply('/digest commands', {
        ephemeral: true,
        notices: [
          'Everyone may read. Subscribing and unsubscribing a channel are for admins.',
          `Admins here: ${inv.adminRule}.`,
        ],
        sections: [
          {
            heading: 'Commands',
            entries: [],
            rows: all().map((c) => {
              const lines: Line[] = [c.permission === 'admin' ? `${c.description} (admins)` : c.description];
              const ex = example(c);
              if (ex !== usage(c)) lines.push(['For example: ', code(ex)]);
              return { label: usage(c), lines };
            }),
          },
        ],
      });
    },
  };
}
