import { describe, expect, it } from 'vitest';
import { createHostLimiter } from '../../src/feeds/host-limiter.js';

/** A task the test finishes by hand, so the limiter's decisions are observed without timing. */
function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('createHostLimiter', () => {
  it('runs at most perHost tasks for one host', async () => {
    const limiter = createHostLimiter({ perHost: 2, global: 10 });
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => deferred());
    const runs = gates.map((g, i) =>
      limiter.run('feeds.example.org', async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(limiter.active('feeds.example.org')).toBe(2);
    expect(limiter.waiting()).toBe(3);
    gates[1]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(limiter.active()).toBe(0);
  });

  it('treats host names case-insensitively', async () => {
    const limiter = createHostLimiter({ perHost: 1, global: 10 });
    const gate = deferred();
    const a = limiter.run('Feeds.Example.org', () => gate.promise);
    const b = limiter.run('feeds.example.org', async () => 'second');
    await tick();
    expect(limiter.waiting()).toBe(1);
    gate.resolve();
    await a;
    expect(await b).toBe('second');
  });

  it('lets other hosts through while one host is at its limit', async () => {
    const limiter = createHostLimiter({ perHost: 1, global: 10 });
    const gate = deferred();
    const started: string[] = [];
    const slow = [1, 2, 3].map(() =>
      limiter.run('slow.example', async () => {
        started.push('slow');
        await gate.promise;
      }),
    );
    const fast = limiter.run('fast.example', async () => {
      started.push('fast');
    });
    await fast;
    expect(started).toEqual(['slow', 'fast']);
    gate.resolve();
    await Promise.all(slow);
  });

  it('enforces the global limit and serves waiters oldest first across hosts', async () => {
    const limiter = createHostLimiter({ perHost: 5, global: 2 });
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const order: string[] = [];
    const job = (host: string, name: string) => {
      const g = deferred();
      gates.set(name, g);
      return limiter.run(host, async () => {
        order.push(name);
        await g.promise;
      });
    };
    const all = [job('a', 'a1'), job('a', 'a2'), job('b', 'b1'), job('a', 'a3'), job('c', 'c1')];
    await tick();
    expect(order).toEqual(['a1', 'a2']);
    expect(limiter.active()).toBe(2);
    gates.get('a1')!.resolve();
    await tick();
    expect(order).toEqual(['a1', 'a2', 'b1']);
    gates.get('a2')!.resolve();
    await tick();
    expect(order).toEqual(['a1', 'a2', 'b1', 'a3']);
    for (const g of gates.values()) g.resolve();
    await tick();
    for (const g of gates.values()) g.resolve();
    await Promise.all(all);
    expect(order).toEqual(['a1', 'a2', 'b1', 'a3', 'c1']);
  });

  it('frees the slot when a task fails, and passes the error on', async () => {
    const limiter = createHostLimiter({ perHost: 1, global: 1 });
    const failing = limiter.run('x', async () => {
      throw new Error('boom');
    });
    const next = limiter.run('x', async () => 'ran');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('ran');
    expect(limiter.active()).toBe(0);
  });

  it('frees the slot when a task throws synchronously', async () => {
    const limiter = createHostLimiter({ perHost: 1, global: 1 });
    const bad = limiter.run('x', () => {
      throw new Error('sync');
    });
    await expect(bad).rejects.toThrow('sync');
    expect(await limiter.run('x', async () => 1)).toBe(1);
  });
});
