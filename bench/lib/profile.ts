/**
 * CPU profiles of the measured part of a benchmark, with V8's sampling profiler (the one behind
 * `node --cpu-prof`), through the inspector, so set-up and baselines stay out of the profile.
 * `--profile` on a benchmark writes bench/.cache/profiles/<name>.cpuprofile (open it in Chrome
 * DevTools) and prints where the time went; `npm run bench -- profile FILE` summarizes any
 * .cpuprofile, including one from `node --cpu-prof`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../.cache');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Profiler {
  stop(): Promise<string | null>;
}

/** Starts profiling when `enabled`; stop() writes the profile and returns its path (null when not enabled). */
export async function startProfile(name: string, enabled: boolean): Promise<Profiler> {
  if (!enabled) return { stop: async () => null };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
      session.disconnect();
      const dir = path.join(CACHE_DIR, 'profiles');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by function, most first. */
  functions: { name: string; where: string; selfMs: number; share: number }[];
  /** Inclusive time of the stack frames from each source file (a file counted once per sample). */
  files: { file: string; totalMs: number; share: number }[];
}

/** Self time per function and inclusive time per source file, from a .cpuprofile. */
export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Stopping the profiler shows up as a sample or two inside this file: not the code under test.
  const ours = new Set(profile.nodes.filter((n) => n.callFrame.url.endsWith('/bench/lib/profile.ts')).map((n) => n.id));
  const underOurs = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (ours.has(at)) return true;
    return false;
  };
  const self = new Map<number, number>();
  samples.forEach((id, i) => {
    if (!underOurs(id)) self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0) / 1000);
  });
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0);

  const fnSelf = new Map<string, { name: string; where: string; selfMs: number }>();
  const fileTotal = new Map<string, number>();
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const key = frameKey(node);
    const entry = fnSelf.get(key) ?? {
      name: node.callFrame.functionName || '(anonymous)',
      where: where(node),
      selfMs: 0,
    };
    entry.selfMs += ms;
    fnSelf.set(key, entry);
    const files = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      files.add(shortFile(byId.get(at)!.callFrame.url) || `(${byId.get(at)!.callFrame.functionName || 'native'})`);
    }
    for (const f of files) fileTotal.set(f, (fileTotal.get(f) ?? 0) + ms);
  }
  const share = (ms: number) => Math.round((ms / totalMs) * 1000) / 10;
  return {
    totalMs: Math.round(totalMs),
    functions: [...fnSelf.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((f) => ({ ...f, selfMs: Math.round(f.selfMs), share: share(f.selfMs) })),
    files: [...fileTotal.entries()]
      .filter(([f]) => !f.startsWith('('))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([f, ms]) => ({ file: f, totalMs: Math.round(ms), share: share(ms) })),
  };
}

/** The summary as two Markdown tables. */
export function profileMarkdown(s: ProfileSummary, top = 15): string {
  const fns = s.functions
    .slice(0, top)
    .map((f) => `| ${f.name} | ${f.where} | ${f.selfMs} | ${f.share}% |`)
    .join('\n');
  const files = s.files
    .slice(0, top)
    .map((f) => `| ${f.file} | ${f.totalMs} | ${f.share}% |`)
    .join('\n');
  return [
    `Sampled ${s.totalMs} ms.`,
    '',
    '| function (self time) | where | ms | share |',
    '|---|---|---:|---:|',
    fns,
    '',
    '| source file (inclusive) | ms | share |',
    '|---|---:|---:|',
    files,
  ].join('\n');
}

export async function run(args: string[]): Promise<void> {
  const file = args.find((a) => a.endsWith('.cpuprofile'));
  if (!file) {
    process.stderr.write('usage: npm run bench -- profile FILE.cpuprofile\n');
    process.exitCode = 2;
    return;
  }
  process.stdout.write(`${profileMarkdown(summarizeProfile(file), 25)}\n`);
}

function frameKey(n: ProfileNode): string {
  return `${n.callFrame.functionName}@${n.callFrame.url}:${n.callFrame.lineNumber}`;
}

function where(n: ProfileNode): string {
  const f = shortFile(n.callFrame.url);
  return f ? `${f}:${n.callFrame.lineNumber + 1}` : '(native)';
}

/** src/…, bench/… or node_modules/<package>/…; node: internals as node:… */
function shortFile(url: string): string {
  if (!url) return '';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm >= 0) return clean.slice(nm + 'node_modules/'.length);
  const m = /\/((?:src|bench|tests)\/.*)$/.exec(clean);
  return m ? m[1]! : clean;
}
