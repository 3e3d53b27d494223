import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { errorMessage, UserError } from '../errors.js';
import { DEFAULT_BUDGET } from '../summarize/extractive.js';
import { headingText } from '../summarize/headings.js';
import type { Summarizer, SummaryBudget, SummaryInput } from '../summarize/types.js';
import { configFor, logLevelFor, parsePositiveInt } from './context.js';
import { looksBinary } from './input.js';

interface SummarizeOptions {
  title?: string;
  titleLine?: boolean;
  sentences?: number;
  chars?: number;
  json?: boolean;
  llm?: boolean;
}

/** "No character cap" for --sentences, kept finite so an LLM prompt never reads "Infinity". */
const NO_CHAR_CAP = 100_000;
/** With --chars alone, as many sentences as fit, up to the config's own ceiling. */
const MAX_SENTENCES = 10;

export function registerSummarize(program: Command): void {
  program
    .command('summarize')
    .description('Summarize article text from files or stdin (offline extractive; --llm for the configured LLM).')
    .argument('[files...]', 'plain-text articles; - or nothing reads stdin')
    .option('--title <title>', 'the article title (helps pick sentences; keeps an on-title lead)')
    .option('--title-line', "take each file's first line as its title")
    .option('--sentences <n>', 'at most N sentences, no character cap', parsePositiveInt('--sentences'))
    .option('--chars <n>', 'at most N characters, whole sentences only', parsePositiveInt('--chars'))
    .option(
      '--json',
      'print {summary, sentences}; with several files one JSON line per file {file, summary, sentences}',
    )
    .option('--llm', 'use the LLM summarizer from the config (falls back to extractive on any failure)')
    .addHelpText(
      'after',
      '\nDefault budget: 2 sentences and at most 320 characters. Sentences are never cut; only when no\nwhole sentence fits --chars is the shortest good one trimmed at a word boundary with "…".\nWith a title (--title or --title-line), a news lead that restates it is always kept, as in digests.',
    )
    .action(async (files: string[], opts: SummarizeOptions, cmd: Command) => {
      checkOptions(opts);
      const budget = budgetFrom(opts);
      const summarizer = await pickSummarizer(cmd, opts.llm === true);
      const inputs = files.length > 0 ? files : ['-'];
      const many = inputs.length > 1;
      let failed = false;
      for (const [index, file] of inputs.entries()) {
        let input: SummaryInput;
        try {
          input = toInput(await readText(file), opts);
        } catch (err) {
          process.stderr.write(`error: ${errorMessage(err)}\n`);
          failed = true;
          continue;
        }
        if (!input.title.trim() && !input.text.trim()) {
          process.stderr.write(`error: ${label(file)} is empty; nothing to summarize\n`);
          failed = true;
          continue;
        }
        const summary = await summarizer.summarize(input, budget);
        if (summary.note && opts.llm) process.stderr.write(`note: ${label(file)}: ${summary.note}\n`);
        if (opts.json) {
          const row = many
            ? { file, summary: summary.text, sentences: summary.sentences }
            : { summary: summary.text, sentences: summary.sentences };
          process.stdout.write(`${JSON.stringify(row)}\n`);
        } else if (many) {
          process.stdout.write(`${index > 0 ? '\n' : ''}==> ${label(file)} <==\n${summary.text}\n`);
        } else {
          process.stdout.write(`${summary.text}\n`);
        }
      }
      if (failed) process.exitCode = 1;
    });
}

function checkOptions(opts: SummarizeOptions): void {
  if (opts.title !== undefined && opts.titleLine) {
    throw new UserError(
      'bad_argument',
      '--title and --title-line cannot be used together',
      'Give one title with --title, or take it from each file with --title-line.',
    );
  }
  if (opts.sentences !== undefined && opts.chars !== undefined) {
    throw new UserError(
      'bad_argument',
      '--sentences and --chars cannot be used together',
      'Set the budget in sentences or in characters, not both.',
    );
  }
}

function budgetFrom(opts: SummarizeOptions): SummaryBudget {
  if (opts.sentences !== undefined) return { sentences: opts.sentences, maxChars: NO_CHAR_CAP };
  if (opts.chars !== undefined) return { sentences: MAX_SENTENCES, maxChars: opts.chars };
  return DEFAULT_BUDGET;
}

/**
 * Extractive unless --llm; with --llm, createSummarizer from the config: the LLM, with the
 * extractive summarizer as its fallback. Plain runs never read the config.
 */
async function pickSummarizer(cmd: Command, useLlm: boolean): Promise<Summarizer> {
  const { loggerFor, summarizerFor } = await import('../app/services.js');
  if (!useLlm) return summarizerFor(null);
  const config = await configFor(cmd);
  if (!config.llm.enabled) {
    process.stderr.write(
      `note: --llm: no LLM is configured (llm.enabled is false in ${config.file}); using the extractive summarizer\n`,
    );
    return summarizerFor(null);
  }
  // Fallback reasons are printed as notes below; the log only needs what goes wrong beyond that.
  const log = loggerFor(config, logLevelFor(cmd, config, 'error'));
  return summarizerFor(config, { useLlm: true, log });
}

function toInput(raw: string, opts: SummarizeOptions): SummaryInput {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!opts.titleLine) return { title: opts.title ?? '', text };
  // The title is the first line with words in it, without Markdown markup: a lone "#" or "---"
  // above it is not a title, and "# Court rules" is titled "Court rules".
  const lines = text.split('\n');
  const first = lines.findIndex((l) => headingText(l) !== null);
  if (first < 0) return { title: '', text: '' };
  return { title: headingText(lines[first]!)!, text: lines.slice(first + 1).join('\n') };
}

async function readText(file: string): Promise<string> {
  let buf: Buffer;
  if (file === '-') {
    if (process.stdin.isTTY) {
      throw new UserError('summarize_no_input', 'no input: give a file, or pipe article text into stdin');
    }
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
    buf = Buffer.concat(chunks);
  } else {
    try {
      buf = await readFile(file);
    } catch (err) {
      throw new UserError('summarize_unreadable_input', `cannot read ${file}: ${errorMessage(err)}`);
    }
  }
  if (looksBinary(buf)) {
    throw new UserError(
      'summarize_binary_input',
      `${label(file)} is a binary file, not text; nothing to summarize. Pass the article as plain text (for a PDF or a word-processor file, extract its text first).`,
    );
  }
  // Old articles are often Latin-1; decoding them as UTF-8 would scatter replacement characters.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('latin1').decode(buf);
  }
}

function label(file: string): string {
  return file === '-' ? 'stdin' : file;
}
