import { type DeliverDeps, deliverPending } from '../delivery/outbox.js';
import type { Logger } from '../log.js';

export interface DeliveryLoop {
  /** Runs a delivery pass now, or joins the one in flight; resolves when that pass ends. */
  kick(): Promise<void>;
  /** The pass in flight, if any; resolves when it ends. */
  inFlight(): Promise<void> | null;
  stop(): void;
}

/**
 * The delivery loop: a pass over the outbox at every tick and whenever something is enqueued.
 * After a pass that confirmed parts, `afterSent` may compose more (an instant subscription that was
 * busy); while it does, the loop delivers again, at most five rounds per pass.
 */
export function startDeliveryLoop(
  deps: DeliverDeps,
  opts: { log: Logger; tickMs: number; afterSent: () => Promise<boolean> },
): DeliveryLoop {
  let stopped = false;
  let delivering: Promise<void> | null = null;
  const pass = async () => {
    try {
      for (let round = 0; round < 5 && !stopped; round++) {
        const r = await deliverPending(deps);
        if (r.sent + r.failed + r.dead > 0) opts.log.info('delivery pass', r);
        if (r.sent === 0 || !(await opts.afterSent())) break;
      }
    } catch (err) {
      opts.log.error('delivery pass failed', { err });
    } finally {
      delivering = null;
    }
  };
  const kick = async () => {
    if (delivering) return delivering;
    if (stopped) return;
    delivering = pass();
    await delivering;
  };
  const timer = setInterval(() => void kick(), opts.tickMs);
  return {
    kick,
    inFlight: () => delivering,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
