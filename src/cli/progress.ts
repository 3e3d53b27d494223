/**
 * Progress for long CLI work (poll --once, feeds import, the evaluations), on stderr so stdout stays the result:
 * on a terminal one bar redrawn in place and cleared at the end; anywhere else (a pipe, a log file, CI) one plain
 * line per step, which reads well in a log and never fills it with carriage returns.
 */
export interface Progress {
  /** One more step done; `what` says which (a feed's name and outcome). */
  tick(what?: string): void;
  /** Clears the bar (terminal) or prints nothing more (plain). */
  done(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  out?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Plain lines every this many steps when not a terminal (default: every step). */
  every?: number;
}

const BAR_WIDTH = 24;

export function createProgress(p: ProgressOptions): Progress {
  const out = p.out ?? process.stderr;
  const tty = out.isTTY === true;
  let done = 0;
  if (p.total <= 0) return { tick() {}, done() {} };
  return {
    tick(what) {
      done = Math.min(p.total, done + 1);
      // a terminal that reports no width (0 under some wrappers) gets a standard one
      const columns = out.columns !== undefined && out.columns >= 20 ? out.columns : 80;
      if (tty) out.write(`\r\x1b[2K${barLine(p.label, done, p.total, what, columns)}`);
      else if (done === p.total || done % (p.every ?? 1) === 0) {
        out.write(`${p.label}: ${done}/${p.total}${what ? ` ${what}` : ''}\n`);
      }
    },
    done() {
      if (tty) out.write('\r\x1b[2K');
    },
  };
}

/** "poll [#########---------------]  9/24 Outlet 3: 5 new", cut to the terminal's width. */
export function barLine(label: string, done: number, total: number, what: string | undefined, columns: number): string {
  const filled = Math.round((done / total) * BAR_WIDTH);
  const count = `${String(done).padStart(String(total).length)}/${total}`;
  const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${count}${what ? ` ${what}` : ''}`;
  // one character short of the width: a line that fills it exactly wraps on some terminals
  return line.length < columns ? line : `${line.slice(0, Math.max(0, columns - 2))}…`;
}
