/**
 * What every speed benchmark shares: the machine it ran on (the machine is shared, so the load
 * average goes with every figure), percentiles, a peak-RSS sampler and a time bound.
 */
import os from 'node:os';

export interface MachineInfo {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1, 5 and 15-minute load averages when the benchmark started and ended. */
  loadStart: number[];
  loadEnd?: number[];
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadStart: loadAverage(),
  };
}

export function loadAverage(): number[] {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}

/** "2 × Intel(R) Xeon(R) …, 24 GiB, Node v20.20.2; load 16.3 → 15.9 (1 min), on 2 cores" */
export function machineLine(m: MachineInfo): string {
  const end = m.loadEnd ? ` → ${m.loadEnd[0]}` : '';
  return `${m.date}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; load average ${m.loadStart[0]}${end} (1 min) on ${m.cpus} cores`;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank]!;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function mib(bytes: number): number {
  return round(bytes / 2 ** 20, 1);
}

/** Samples this process's RSS every `everyMs` until stopped; returns the peak and the samples. */
export function rssSampler(everyMs = 100): { stop(): { peak: number; samples: number[] } } {
  const samples: number[] = [process.memoryUsage.rss()];
  const timer = setInterval(() => samples.push(process.memoryUsage.rss()), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push(process.memoryUsage.rss());
      return { peak: Math.max(...samples), samples };
    },
  };
}

/** Rejects when `ms` pass first: every benchmark is bounded in time, whatever the code under test does. */
export async function withinTime<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s: stopped`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** A Markdown table from a header row and rows. */
export function mdTable(headers: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string {
  const sep = headers.map((_, i) => ((align?.[i] ?? (i === 0 ? 'l' : 'r')) === 'r' ? '---:' : '---'));
  return [headers, sep, ...rows.map((r) => r.map(String))].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Prints a line as the benchmark goes (stdout), so a long run shows where it is. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
