import { type ChildProcess, fork } from 'node:child_process';
import type { ServerSpec } from './feed-server.js';

export interface FeedHost {
  /** One origin per loopback address, e.g. http://127.0.0.3:41234. */
  origins: string[];
  /** Feed n's URL: spread over the addresses, so they count as different hosts. */
  url(n: number): string;
  close(): Promise<void>;
}

/** Starts bench/lib/feed-server.ts in a child process and waits until it listens. */
export async function startFeedServer(spec: ServerSpec): Promise<FeedHost> {
  const child: ChildProcess = fork(new URL('./feed-server.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const origins = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the feed server did not start within 60 s')), 60_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve((m as { origins: string[] }).origins);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the feed server exited (${code}) before listening`)));
    child.send(spec);
  });
  return {
    origins,
    url: (n) => `${origins[n % origins.length]}/f/${n}`,
    close: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
