import { readFileSync } from 'node:fs';
import type { YAMLError } from 'yaml';
import { ConfigError, type ConfigIssue } from '../errors.js';

/**
 * The config file as text. A file that is not text (a gzip, an image, a database given by mistake)
 * is refused before YAML sees it: YAML's error would quote its bytes straight to the terminal.
 */
export function readConfigText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(file, [{ path: '', expected: 'a readable YAML file', found: `${code}` }]);
  }
  const text = bytes.toString('utf8');
  if (looksBinary(bytes, text)) {
    const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ConfigError(file, [
      {
        path: '',
        expected: 'a YAML text file (UTF-8)',
        found: `binary data (${bytes.length} bytes, starting ${head}); is this the right file?`,
      },
    ]);
  }
  return text;
}

/** NUL bytes, bytes that are not UTF-8, or many control characters: not a text file. */
function looksBinary(bytes: Buffer, text: string): boolean {
  if (bytes.includes(0)) return true;
  const sample = text.slice(0, 8_192);
  const odd = sample.match(/[\uFFFD\u0001-\u0008\u000E-\u001F\u007F]/g)?.length ?? 0;
  return odd > 0 && odd / Math.max(sample.length, 1) > 0.01;
}

/**
 * YAML's errors as config issues: where (line and column), what is wrong, and the lines around it with
 * a caret under the spot, so "a dangling colon" can be found without counting lines.
 */
export function yamlIssues(errors: YAMLError[], text: string): ConfigIssue[] {
  const lines = text.split(/\r?\n/);
  return errors.map((e) => {
    const pos = e.linePos?.[0];
    const what = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
    if (!pos) return { path: '', expected: 'valid YAML', found: what };
    return {
      path: `line ${pos.line}, column ${pos.col}`,
      expected: 'valid YAML',
      found: what,
      frame: codeFrame(lines, pos.line, pos.col),
    };
  });
}

function codeFrame(lines: string[], line: number, col: number): string {
  const first = Math.max(1, line - 2);
  const last = Math.min(lines.length, line);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const shown = (lines[n - 1] ?? '').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '?');
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${shown.slice(0, 160)}`);
  }
  out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, col - 1))}^`);
  return out.join('\n');
}
