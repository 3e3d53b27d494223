/**
 * Politeness: at most `perHost` requests in flight to one host name and at most `global` in
 * total. Waiters are served oldest first among those whose host has room, so one slow host
 * with many feeds cannot starve the others.
 */
export interface HostLimiter {
  run<T>(host: string, task: () => Promise<T>): Promise<T>;
  /** Requests in flight now, in total and for one host. */
  active(host?: string): number;
  /** Requests waiting for a slot. */
  waiting(): number;
}

export function createHostLimiter(opts: { perHost: number; global: number }): HostLimiter {
  const perHost = Math.max(1, Math.floor(opts.perHost));
  const global = Math.max(1, Math.floor(opts.global));
  const activeByHost = new Map<string, number>();
  const queues = new Map<string, Waiter[]>();
  let activeTotal = 0;
  let waitingTotal = 0;
  let seq = 0;

  const hasRoom = (host: string) => activeTotal < global && (activeByHost.get(host) ?? 0) < perHost;

  const acquire = (host: string) => {
    activeTotal++;
    activeByHost.set(host, (activeByHost.get(host) ?? 0) + 1);
  };

  const release = (host: string) => {
    activeTotal--;
    const n = (activeByHost.get(host) ?? 1) - 1;
    if (n === 0) activeByHost.delete(host);
    else activeByHost.set(host, n);
    dispatch();
  };

  // Start as many waiters as the limits allow, oldest eligible first. The scan is over hosts
  // with waiters, not over waiters, so thousands of queued feeds stay cheap.
  const dispatch = () => {
    while (activeTotal < global && waitingTotal > 0) {
      let best: { host: string; queue: Waiter[] } | null = null;
      for (const [host, queue] of queues) {
        if ((activeByHost.get(host) ?? 0) >= perHost) continue;
        const head = queue[0]!;
        if (!best || head.seq < best.queue[0]!.seq) best = { host, queue };
      }
      if (!best) return;
      const next = best.queue.shift()!;
      if (best.queue.length === 0) queues.delete(best.host);
      waitingTotal--;
      acquire(best.host);
      next.start();
    }
  };

  return {
    run<T>(host: string, task: () => Promise<T>): Promise<T> {
      const key = host.toLowerCase();
      const go = (): Promise<T> => {
        let result: Promise<T>;
        try {
          result = task();
        } catch (err) {
          result = Promise.reject(err);
        }
        return result.finally(() => release(key));
      };
      if (hasRoom(key) && !queues.has(key)) {
        acquire(key);
        return go();
      }
      return new Promise<T>((resolve, reject) => {
        const queue = queues.get(key) ?? [];
        queue.push({ seq: seq++, start: () => go().then(resolve, reject) });
        queues.set(key, queue);
        waitingTotal++;
        dispatch();
      });
    },
    active: (host) => (host === undefined ? activeTotal : (activeByHost.get(host.toLowerCase()) ?? 0)),
    waiting: () => waitingTotal,
  };
}

interface Waiter {
  seq: number;
  start(): void;
}
