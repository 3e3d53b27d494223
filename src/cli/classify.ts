import type { Command } from 'commander';

// PLACEHOLDER until the classify command lands.
export function registerClassify(_program: Command): void {}
