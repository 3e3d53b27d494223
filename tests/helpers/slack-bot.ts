/**
 * A real `watchdesk start` talking to the fake Slack, as the end-to-end tests drive it: started with the Slack
 * secrets in its environment, ready once it says where /digest answers, stopped with SIGTERM or killed.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnCli } from './cli.js';
import { type LogRecord, logRecords } from './log.js';
import { until } from './wait.js';

export interface SlackBot {
  child: ChildProcess;
  logs(): LogRecord[];
  stderr(): string;
  /** HTTP mode: where the bot said /digest answers. */
  eventsUrl: string | undefined;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  kill(): Promise<void>;
}

/** Starts the bot and waits until its Slack listener says it is up (Socket Mode: connected to the fake). */
export async function startSlackBot(config: string, env: Record<string, string>): Promise<SlackBot> {
  const { child, output } = spawnCli(['--config', config, 'start'], env);
  const logs = () => logRecords(output().stderr);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await until(
    () => logs().some((r) => r.msg.startsWith('Slack: /digest answers')) || child.exitCode !== null,
    60_000,
    50,
  );
  const line = logs().find((r) => r.msg.startsWith('Slack: /digest answers'));
  if (!ready || !line) {
    child.kill('SIGKILL');
    throw new Error(`the bot did not start its Slack listener:\n${output().stderr.slice(-4000)}`);
  }
  return {
    child,
    logs,
    stderr: () => output().stderr,
    eventsUrl: /(http:\/\/\S+\/slack\/events)/.exec(line.msg)?.[1],
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
