/**
 * npm run bench [-- <name>...] runs benchmarks from bench/<name>.ts (each exports run(args)).
 * With no name, runs them all. Results go to bench/results/.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'main.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-') && all.includes(a));
const rest = args.filter((a) => !names.includes(a));
// summarize also runs cluster (the issue reports both under "bench -- summarize").
const included: Record<string, string[]> = { summarize: ['cluster'] };
const chosen = names.length > 0 ? names : all;
const skip = new Set(chosen.flatMap((n) => included[n] ?? []));
for (const name of chosen.filter((n) => !skip.has(n))) {
  process.stdout.write(`\n== bench ${name}\n`);
  const mod = (await import(`./${name}.ts`)) as { run(args: string[]): Promise<void> };
  await mod.run(rest);
}
