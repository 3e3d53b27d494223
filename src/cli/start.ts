import type { Command } from 'commander';

// PLACEHOLDER until the start command lands.
export function registerStart(_program: Command): void {}
