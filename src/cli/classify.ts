import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { errorMessage, UserError } from '../errors.js';
import { classify } from '../topics/classify.js';
import type { ClassifiableText } from '../topics/types.js';
import { configFor } from './context.js';

export function registerClassify(program: Command): void {
  program
    .command('classify')
    .description('Classify one item into the configured topics and explain each match.')
    .argument(
      '<file>',
      'a normalized item as JSON ({title, content, ...}) or plain text (first line = title); - for stdin',
    )
    .option('--json', 'print a JSON array of {topic, score, hits, explanation}')
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) => {
      const config = await configFor(cmd);
      const { topicsOf } = await import('../app/services.js');
      const topics = topicsOf(config);
      const doc = parseInput(await readInput(file), file);
      const matches = classify(doc, topics);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(matches, null, 2)}\n`);
        return;
      }
      if (matches.length === 0) {
        process.stdout.write(`No topic matched (checked ${topics.length} topic${topics.length === 1 ? '' : 's'}).\n`);
        return;
      }
      const names = new Map(topics.map((t) => [t.id, t.name]));
      const width = Math.max(...matches.map((m) => m.topic.length));
      for (const m of matches) {
        process.stdout.write(`${m.topic.padEnd(width)}  ${m.score.toFixed(3)}  ${names.get(m.topic) ?? ''}\n`);
        process.stdout.write(`${' '.repeat(width)}  why: ${m.explanation}\n`);
      }
    });
}

/**
 * JSON when the input looks like an object (the shape `parse --json` prints; a one-item array is
 * accepted too), else plain text whose first non-empty line is the title.
 */
export function parseInput(text: string, source: string): ClassifiableText {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return fromJson(trimmed, source);
  const lines = trimmed.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new UserError('classify_empty_input', `${source} is empty`, 'Give a title and some text.');
  return {
    title: lines[first]!.trim(),
    content: lines
      .slice(first + 1)
      .join('\n')
      .trim(),
  };
}

async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(
      'classify_unreadable_input',
      `cannot read ${file}: ${errorMessage(err)}`,
      'Pass a readable file, or - to read from stdin.',
    );
  }
}

function fromJson(text: string, source: string): ClassifiableText {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError('classify_bad_json', `${source} is not valid JSON: ${errorMessage(err)}`);
  }
  if (Array.isArray(value)) {
    if (value.length !== 1) {
      throw new UserError(
        'classify_bad_json',
        `${source} holds an array of ${value.length} items; classify takes one item`,
        'Pass a single {title, content} object.',
      );
    }
    value = value[0];
  }
  const item = value as Record<string, unknown> | null;
  const title = item?.title ?? '';
  const content = item?.content ?? '';
  if (typeof item !== 'object' || typeof title !== 'string' || typeof content !== 'string') {
    throw new UserError(
      'classify_bad_json',
      `${source} is not a normalized item`,
      'Expected a JSON object with string fields "title" and "content".',
    );
  }
  if (title.trim() === '' && content.trim() === '') {
    throw new UserError('classify_empty_input', `${source} has neither a title nor content`);
  }
  return { title, content };
}
