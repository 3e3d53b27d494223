import type { Command } from 'commander';

// PLACEHOLDER until the parse command lands.
export function registerParse(_program: Command): void {}
