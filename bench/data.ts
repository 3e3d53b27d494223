import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Third-party data is read in place from ../shared/data (or --data DIR), never copied into the
 * project. When it is absent, say so plainly and stop.
 */
export function dataDir(args: string[]): string {
  const i = args.indexOf('--data');
  // From the main checkout shared/ is beside it; from a worktree (wt/NAME) it is two levels up.
  const fallback = ['../shared/data', '../../shared/data'].find((d) => existsSync(d)) ?? '../shared/data';
  const dir = path.resolve(i >= 0 && args[i + 1] ? args[i + 1]! : fallback);
  if (!existsSync(dir)) {
    process.stderr.write(
      `data folder not found: ${dir}\nPass --data <path to shared/data> (see ../shared/data/README.md).\n`,
    );
    process.exit(2);
  }
  return dir;
}

export function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** bench/results/, created on first use (found from this file, whatever the working directory). */
export function resultsDir(): string {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes bench/results/<name>.json and <name>.md. */
export function writeResults(name: string, json: unknown, markdown: string): void {
  const dir = resultsDir();
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(path.join(dir, `${name}.md`), `${markdown}\n`);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
