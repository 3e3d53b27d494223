/**
 * npm run bench [-- <name>...] runs benchmarks from bench/<name>.ts (each exports run(args)).
 * With no name, runs them all. `--quick` with no name runs a reduced version of the five speed
 * benchmarks (ingest, poll, commands, compose, soak) in under 3 minutes. Results go to bench/results/.
 * `npm run bench -- profile FILE.cpuprofile` summarizes a CPU profile.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// Modules that are not benchmarks themselves.
const helpers = new Set(['main.ts', 'data.ts']);
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !helpers.has(f) && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
const SPEED = ['ingest', 'poll', 'commands', 'compose', 'soak'];
const args = process.argv.slice(2);
const known = [...all, 'profile'];
const names = args.filter((a) => !a.startsWith('-') && known.includes(a));
const rest = args.filter((a) => !names.includes(a));
const quick = args.includes('--quick');
// summarize also runs cluster (the issue reports both under "bench -- summarize").
const included: Record<string, string[]> = { summarize: ['cluster'] };
const chosen = names.length > 0 ? names : quick ? SPEED : all;
const skip = new Set(chosen.flatMap((n) => included[n] ?? []));
const started = performance.now();
for (const name of chosen.filter((n) => !skip.has(n))) {
  process.stdout.write(`\n== bench ${name}${quick ? ' (quick)' : ''}\n`);
  const file = name === 'profile' ? './lib/profile.ts' : `./${name}.ts`;
  const mod = (await import(file)) as { run(args: string[]): Promise<void> };
  await mod.run(rest);
}
process.stdout.write(`\nbench done in ${Math.round((performance.now() - started) / 1000)} s\n`);
