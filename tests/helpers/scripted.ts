/**
 * Shared plumbing of the fake platforms: failures scripted for the next matching requests, and
 * waits on a fake's recorded state.
 */
export class FailureScript<F, R> {
  private readonly entries: { failure: F; times: number; matches: (request: R) => boolean }[] = [];

  /** The next `times` requests for which `matches` holds get `failure`. */
  add(failure: F, times: number, matches: (request: R) => boolean): void {
    this.entries.push({ failure, times, matches });
  }

  /** The failure for this request, if one is scripted; uses one of its times. */
  take(request: R): F | undefined {
    const i = this.entries.findIndex((e) => e.matches(request));
    const entry = this.entries[i];
    if (!entry) return undefined;
    if (--entry.times <= 0) this.entries.splice(i, 1);
    return entry.failure;
  }
}

export class Waiters {
  private readonly list: { pred: () => boolean; resolve: () => void }[] = [];

  constructor(private readonly name: string) {}

  /** Resolves once `pred` holds (checked now and at each notify), or rejects after the timeout. */
  async wait(pred: () => boolean, timeoutMs: number): Promise<void> {
    if (pred()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}.waitFor timed out`)), timeoutMs);
      this.list.push({
        pred,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Call after each change to the recorded state. */
  notify(): void {
    for (const w of [...this.list]) {
      if (w.pred()) {
        this.list.splice(this.list.indexOf(w), 1);
        w.resolve();
      }
    }
  }
}
