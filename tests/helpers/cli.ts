import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** src/ compiled by tests/helpers/build-cli.ts, the suite's global setup, before any test runs. */
export const CLI_BUILD = path.join(ROOT, '.test-cli');
/** `node .test-cli/main.js …`, with stack traces mapped back to src/. */
export const CLI_COMMAND = ['--enable-source-maps', path.join(CLI_BUILD, 'main.js')];

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI (src/ as built for this run) in a child process. Async, so that loopback
 * servers in the test process can answer it. WATCHDESK_* come only from `env`.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
  opts: { cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...CLI_COMMAND, ...args],
      { cwd: opts.cwd ?? ROOT, env: { ...cleanEnv(), ...env }, timeout: 90_000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * Starts the CLI as a long-running process (e.g. `start`), collecting its output. Node runs it
 * without a wrapper process, so the child's pid is watchdesk's own and a SIGKILL reaches it (a
 * wrapper such as tsx's cannot pass SIGKILL on, and its child would live on).
 */
export function spawnCli(
  args: string[],
  env: Record<string, string> = {},
  opts: { cwd?: string } = {},
): { child: ChildProcess; output: () => { stdout: string; stderr: string } } {
  return spawnNode([...CLI_COMMAND, ...args], env, opts);
}

/** `node <args>` in the background with a clean environment plus `env`, its output collected as it comes. */
export function spawnNode(
  args: string[],
  env: Record<string, string> = {},
  opts: { cwd?: string } = {},
): { child: ChildProcess; output: () => { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...cleanEnv(), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return { child, output: () => ({ stdout, stderr }) };
}

/** The parent's environment without any watchdesk setting or chat secret, so tests never leak them in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(WATCHDESK_|DISCORD_|SLACK_|LLM_)/.test(key)) delete env[key];
  }
  return env;
}

/**
 * Runs the CLI with its stdout closed early, as `watchdesk … | head` leaves it: the read end is
 * closed on the first chunk of output, or at once when `closeAt` is 'start' (every write fails).
 */
export function runCliWithClosedStdout(
  args: string[],
  opts: { env?: Record<string, string>; input?: string; closeAt?: 'start' | 'first-chunk' } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [...CLI_COMMAND, ...args], {
    cwd: ROOT,
    env: { ...cleanEnv(), ...opts.env },
  });
  if (opts.closeAt === 'start') child.stdout.destroy();
  else child.stdout.once('data', () => child.stdout.destroy());
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}
