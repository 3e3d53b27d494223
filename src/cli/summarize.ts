import type { Command } from 'commander';

// PLACEHOLDER until the summarize command lands.
export function registerSummarize(_program: Command): void {}
