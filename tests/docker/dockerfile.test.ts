import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.js';

/**
 * There is no Docker engine here, so CI runs the Dockerfile's steps itself (.ci/run installs and
 * builds, .ci/container-check prunes a copy, starts it as the non-root user, checks /healthz).
 * These tests read both sides and fail when they drift apart.
 */
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const dockerfile = read('Dockerfile');
const ciRun = read('.ci/run');
const check = read('.ci/container-check');

/** Dockerfile instructions with line continuations joined: [keyword, rest]. */
function instructions(text: string): [string, string][] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [kw, ...rest] = l.split(/\s+/);
      return [kw!.toUpperCase(), rest.join(' ')];
    });
}

/** The first non-comment line after "# step: NAME" (continuations joined). */
function step(text: string, name: string): string {
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n');
  const at = lines.findIndex((l) => new RegExp(`^#\\s*step:\\s*${name}\\b`).test(l.trim()));
  if (at < 0) throw new Error(`no "# step: ${name}" marker`);
  const line = lines.slice(at + 1).find((l) => l.trim() && !l.trim().startsWith('#'));
  return (line ?? '').trim();
}

/** A Dockerfile exec-form array as the shell line it runs. */
function execForm(json: string): string {
  return (JSON.parse(json) as string[])
    .map((a) => (/[\s'"()=>]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a))
    .join(' ');
}

const dockerInstructions = instructions(dockerfile);

describe('Dockerfile and CI run the same steps', () => {
  it('is multi-stage on node:20-slim: build with dev dependencies, run with production ones only', () => {
    const froms = dockerInstructions.filter(([kw]) => kw === 'FROM').map(([, v]) => v);
    expect(froms).toEqual(['node:20-slim AS build', 'node:20-slim']);
    expect(step(dockerfile, 'install')).toBe('RUN npm ci --no-audit --no-fund');
    expect(step(dockerfile, 'prune')).toBe('RUN npm prune --omit=dev --no-audit --no-fund');
  });

  it('install: the same npm ci as .ci/run (which builds dist/ through prepare)', () => {
    const cmd = step(dockerfile, 'install').replace(/^RUN /, '');
    expect(ciRun).toContain(`${cmd} ||`);
    expect(read('package.json')).toMatch(/"prepare": "npm run build"/);
  });

  it('prune: the same npm prune, on a copy of the same files the image copies', () => {
    expect(step(check, 'prune')).toMatch(/^cp -a /);
    const copied = step(check, 'prune')
      .replace(/^cp -a /, '')
      .replace(/ "\$app\/"$/, '')
      .split(' ')
      .sort();
    const imageCopies = dockerInstructions
      .filter(([kw, v]) => kw === 'COPY' && v.startsWith('--from=build'))
      .flatMap(([, v]) => v.split(' ').slice(1, -1))
      .map((p) => p.replace('/app/', ''))
      .sort();
    expect(copied).toEqual(imageCopies);
    const pruneLine = check.split('\n').find((l) => l.includes('npm prune'))!;
    expect(pruneLine).toContain(step(dockerfile, 'prune').replace(/^RUN /, ''));
  });

  it('user: the same non-root user, created the same way, runs the bot', () => {
    const useradd = step(dockerfile, 'user').replace(/^RUN /, '');
    expect(useradd).toMatch(/^useradd .* watchdesk$/);
    expect(step(check, 'user')).toBe(`id -u watchdesk >/dev/null 2>&1 || ${useradd}`);
    const users = dockerInstructions.filter(([kw]) => kw === 'USER').map(([, v]) => v);
    expect(users).toEqual(['watchdesk']);
    expect(step(check, 'start')).toContain('setpriv --reuid=watchdesk --regid=watchdesk');
    expect(check).toContain('if [ "$user" != watchdesk ]');
  });

  it('start: the same command and environment; data in /data, owned by that user before VOLUME', () => {
    const cmd = dockerInstructions.find(([kw]) => kw === 'CMD')![1];
    expect(JSON.parse(cmd)).toEqual(['node', 'dist/main.js', 'start']);
    const ciStart = step(check, 'start');
    expect(ciStart).toMatch(new RegExp(`-- ${execForm(cmd)}\\)`));
    const env = dockerInstructions.find(([kw]) => kw === 'ENV')![1];
    const dockerEnv: Record<string, string> = Object.fromEntries(env.split(' ').map((kv) => kv.split('=')));
    expect(dockerEnv).toEqual({
      NODE_ENV: 'production',
      WATCHDESK_DB: '/data/watchdesk.db',
      WATCHDESK_HTTP_HOST: '0.0.0.0',
    });
    for (const [k, v] of Object.entries(dockerEnv)) {
      expect(ciStart).toContain(`${k}=${v.replace('/data/', '"$data/').replace(/watchdesk\.db$/, 'watchdesk.db"')}`);
    }
    const order = dockerInstructions.map(([kw, v]) => `${kw} ${v}`);
    const chown = order.findIndex((l) => /^RUN .*chown watchdesk:watchdesk \/data/.test(l));
    const volume = order.indexOf('VOLUME ["/data"]');
    const user = order.indexOf('USER watchdesk');
    expect(chown).toBeGreaterThan(-1);
    expect(volume).toBeGreaterThan(chown);
    expect(user).toBeGreaterThan(volume);
    expect(check).toContain('chown watchdesk:watchdesk "$data"');
  });

  it('healthz: the HEALTHCHECK is the very command CI uses to check /healthz', () => {
    const hc = step(dockerfile, 'healthz');
    const m = /^HEALTHCHECK .*CMD (\[.*\])$/.exec(hc);
    expect(m).not.toBeNull();
    const args = JSON.parse(m![1]!) as string[];
    expect(args.slice(0, 2)).toEqual(['node', '-e']);
    expect(args[2]).toContain("fetch('http://127.0.0.1:8080/healthz')");
    expect(check).toContain(`node -e "${args[2]}"`);
  });

  it('.ci/run runs the container check after installing, before the tests', () => {
    const install = ciRun.indexOf('npm ci --no-audit --no-fund');
    const container = ciRun.indexOf('bash .ci/container-check');
    const tests = ciRun.indexOf('npm test');
    expect(install).toBeGreaterThan(-1);
    expect(container).toBeGreaterThan(install);
    expect(tests).toBeGreaterThan(container);
  });

  it('.dockerignore keeps local state, builds and secrets out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    for (const p of ['.git', 'node_modules', 'dist', 'data', '*.db', 'watchdesk.env']) expect(ignored).toContain(p);
    for (const copied of dockerInstructions.filter(([kw, v]) => kw === 'COPY' && !v.startsWith('--from'))) {
      for (const src of copied[1].split(' ').slice(0, -1)) expect(ignored).not.toContain(src);
    }
  });
});

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml')) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  const svc = compose.services.watchdesk!;

  it('builds this image, runs it under init, with the data volume, an env file and the port', () => {
    expect(svc.build).toBe('.');
    expect(svc.init).toBe(true);
    expect(svc.volumes).toContain('watchdesk-data:/data');
    expect(Object.keys(compose.volumes)).toContain('watchdesk-data');
    expect(svc.env_file).toEqual([{ path: 'watchdesk.env', required: false }]);
    expect(svc.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(svc.environment).toMatchObject({ WATCHDESK_DB: '/data/watchdesk.db', WATCHDESK_HTTP_HOST: '0.0.0.0' });
  });

  it('gives the bot longer than its shutdown grace to stop', () => {
    expect(Number.parseInt(String(svc.stop_grace_period), 10)).toBeGreaterThanOrEqual(10);
  });
});
