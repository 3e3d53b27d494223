import type { Command } from 'commander';

// PLACEHOLDER until the digest command lands.
export function registerDigest(_program: Command): void {}
