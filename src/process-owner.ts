import { hostname } from 'node:os';

/**
 * Which process holds something in the shared store (the bot's instance lease, an item being
 * enriched), so that another process can tell a live holder from one that crashed. The start
 * time tells this process apart from an earlier one that had the same pid (a container restarted
 * with pid 1, say).
 */
export interface ProcessOwner {
  host: string;
  pid: number;
  startedAt: number;
}

export const thisProcess: ProcessOwner = {
  host: hostname(),
  pid: process.pid,
  startedAt: Math.round(Date.now() - process.uptime() * 1000),
};

export function sameProcess(a: ProcessOwner, b: ProcessOwner): boolean {
  return a.host === b.host && a.pid === b.pid && a.startedAt === b.startedAt;
}

/**
 * True when `owner` is certainly not running: it was on this host and its pid is gone, or it is
 * this pid in an earlier life. A process on another host cannot be checked, so it is never
 * "certainly gone": callers fall back on how long ago it was last seen.
 */
export function isGone(owner: ProcessOwner, self: ProcessOwner = thisProcess): boolean {
  if (owner.host !== self.host) return false;
  if (owner.pid === self.pid) return owner.startedAt !== self.startedAt;
  return !pidIsAlive(owner.pid);
}

function pidIsAlive(pid: number): boolean {
  try {
    // Signal 0 checks that the process exists without touching it.
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
