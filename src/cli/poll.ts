import type { Command } from 'commander';

// PLACEHOLDER until the poll command lands.
export function registerPoll(_program: Command): void {}
