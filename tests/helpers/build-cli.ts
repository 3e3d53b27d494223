/**
 * Vitest global setup: compiles src/ once per run into .test-cli/ (the same tsc and tsconfig.build.json
 * as `npm run build`, without its type check, as tsx runs src/ unchecked) so the tests that start the
 * CLI run `node .test-cli/main.js` as users run `node dist/main.js`. Under tsx every child process
 * compiled and resolved each module through tsx's loader again: about twice the CPU per start, and the
 * suite starts the CLI a few hundred times. .test-cli/ sits beside src/ so that the paths the code finds
 * from its own file (../../package.json, ../../config) are the same as from src/ and dist/.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { CLI_BUILD, ROOT } from './cli.js';

export default function setup(project: TestProject): void {
  buildCli();
  // Watch mode: a rerun sees the src/ it tests, not the one the run started with.
  project.onTestsRerun(() => buildCli());
}

function buildCli(): void {
  rmSync(CLI_BUILD, { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules/.bin/tsc');
  const args = ['-p', 'tsconfig.build.json', '--noCheck', '--outDir', CLI_BUILD];
  const run = spawnSync(tsc, args, { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`building the CLI for the tests failed (tsc ${args.join(' ')}):\n${run.stdout}${run.stderr}`);
  }
}
