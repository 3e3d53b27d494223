/** Time is a dependency so that schedules, backoff and windows can be tested without waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function fixedClock(start: number): Clock & { set(t: number): void; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    set: (v) => {
      t = v;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** "3h ago", "in 12m", or "never": a time relative to now, as listings and the status page show it. */
export function ago(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const d = now - ms;
  const future = d < 0;
  const a = Math.abs(d);
  const text =
    a < 90_000
      ? `${Math.round(a / 1000)}s`
      : a < 5_400_000
        ? `${Math.round(a / 60_000)}m`
        : a < 172_800_000
          ? `${Math.round(a / 3_600_000)}h`
          : `${Math.round(a / 86_400_000)}d`;
  return future ? `in ${text}` : `${text} ago`;
}
