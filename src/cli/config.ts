import type { Command } from 'commander';

// PLACEHOLDER until the config command lands.
export function registerConfig(_program: Command): void {}
