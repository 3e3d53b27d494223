import type { Command } from 'commander';

// PLACEHOLDER until the stories command lands.
export function registerStories(_program: Command): void {}
