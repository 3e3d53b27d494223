import type { Command } from 'commander';

// PLACEHOLDER until the feeds command lands.
export function registerFeeds(_program: Command): void {}
