import type { Command } from 'commander';

// PLACEHOLDER until the demo command lands.
export function registerDemo(_program: Command): void {}
