import type { Command } from 'commander';

// PLACEHOLDER until the subscriptions command lands.
export function registerSubscriptions(_program: Command): void {}
