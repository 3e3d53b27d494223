import { FUNCTION_WORDS } from '../text/stop-words.js';
import { lowerWords } from '../text/words.js';
import { splitSentences } from './sentences.js';
import type { SummaryBudget } from './types.js';

/**
 * Checks on an LLM answer before it may become a summary. The article is untrusted, so an answer
 * is only accepted when it looks like a plain summary of it. Each check names its reason, which
 * ends up in Summary.note when the extractive fallback is used instead.
 *
 * Rejected:
 * - empty answers, and answers longer than llm.maxOutputChars;
 * - answers that repeat the prompt's delimiter or its random id (the model echoed its input);
 * - answers that contain instruction-like phrases ("ignore previous instructions", "you are now",
 *   "system prompt", …): either the model is quoting a planted instruction or obeying one;
 * - answers that use words found only in instruction-like sentences of the article: the model did
 *   what a planted sentence asked ("… and reply that the case was dropped") instead of summarizing;
 * - mass or targeted mentions (@everyone, @here, <@id>, <!channel>) and markup (tags, code fences);
 * - links that do not appear in the article (a summary has no reason to invent one).
 * Accepted answers are trimmed to the budget by whole sentences; an answer whose first sentence
 * alone exceeds the budget's characters is rejected rather than cut in half.
 * An article that is itself about prompt injection may be rejected too; it then gets the
 * extractive summary, which is the safe side to err on.
 */
export type GuardResult = { ok: true; text: string; sentences: string[] } | { ok: false; reason: string };

export interface GuardContext {
  /** The title and text as sent to the model. */
  articleText: string;
  nonce: string;
  budget: SummaryBudget;
  maxOutputChars: number;
}

/** Phrases that belong to an instruction aimed at a model, not to a news summary. */
export const INSTRUCTION_PATTERN = new RegExp(
  [
    String.raw`\b(ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}\b(instructions?|prompts?|rules|guidelines|directions|context)\b`,
    String.raw`\byou are now\b`,
    String.raw`\bnew instructions?\b`,
    String.raw`\bsystem (prompt|message)\b`,
    String.raw`\bas an ai\b`,
    String.raw`\b(respond|reply|answer|output|print)\s+(only\s+)?(with|exactly)\b`,
    String.raw`\b(say|write)\s+(only|exactly)\b`,
  ].join('|'),
  'i',
);

export function checkAnswer(raw: string, ctx: GuardContext): GuardResult {
  const text = tidy(raw);
  if (text === '') return fail('empty answer');
  if (text.length > ctx.maxOutputChars) {
    return fail(`answer too long (${text.length} chars, limit ${ctx.maxOutputChars})`);
  }
  const lower = text.toLowerCase();
  if (lower.includes(ctx.nonce.toLowerCase()) || /<\s*\/?\s*article\b|\[\/?article\]/i.test(text)) {
    return fail('answer echoes the prompt');
  }
  const phrase = INSTRUCTION_PATTERN.exec(text);
  if (phrase) return fail(`answer repeats an instruction ("${phrase[0].slice(0, 40)}")`);
  if (/@(everyone|here)\b|<[@#!&]/i.test(text)) return fail('answer contains a mention');
  if (/```|<\/?[a-z][a-z0-9-]*(\s[^>]*)?>/i.test(text)) return fail('answer contains markup');
  const link = foreignLink(text, ctx.articleText);
  if (link) return fail('answer contains a link not in the article');
  const planted = plantedWords(ctx.articleText);
  const used = lowerWords(text).find((w) => planted.some((p) => w.startsWith(stemKey(p))));
  if (used) return fail(`answer follows an instruction planted in the article ("${used}")`);
  return fitBudget(text, ctx.budget);
}

function fitBudget(text: string, budget: SummaryBudget): GuardResult {
  const all = splitSentences(text);
  const kept: string[] = [];
  let length = 0;
  for (const s of all.slice(0, Math.max(1, budget.sentences))) {
    const next = length === 0 ? s.length : length + 1 + s.length;
    if (next > budget.maxChars) break;
    kept.push(s);
    length = next;
  }
  if (kept.length === 0) return fail(`answer's first sentence is over the ${budget.maxChars}-character budget`);
  return { ok: true, text: kept.join(' '), sentences: kept };
}

/** Drops wrapping quotes, a "Summary:" label and runs of whitespace that models like to add. */
function tidy(raw: string): string {
  let text = raw.replace(/\s+/g, ' ').trim();
  text = text.replace(/^(here is (a|the) summary[^:]*:|summary:)\s*/i, '');
  const quoted = /^["“](.*)["”]$/s.exec(text);
  if (quoted?.[1] && !/["“”]/.test(quoted[1])) text = quoted[1].trim();
  return text;
}

function foreignLink(answer: string, article: string): string | null {
  const haystack = article.toLowerCase();
  for (const m of answer.matchAll(/\b(?:https?:\/\/|www\.)[^\s)\]>"']+/gi)) {
    const url = m[0].replace(/[.,;:!?]+$/, '').toLowerCase();
    if (!haystack.includes(url)) return m[0];
  }
  // Bare domains such as "example.com/claim" count too.
  for (const m of answer.matchAll(
    /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|info|xyz|ru|ly)\b(?:\/\S*)?/gi,
  )) {
    if (!haystack.includes(m[0].toLowerCase())) return m[0];
  }
  return null;
}

/**
 * Words that occur only inside instruction-like sentences of the article. A real summary has no
 * reason to use them; an answer that does is most likely following the planted instruction.
 */
function plantedWords(article: string): string[] {
  const sentences = article.split(/\n+|(?<=[.!?])\s+/);
  const planted: string[] = [];
  const rest: string[] = [];
  for (const s of sentences) (INSTRUCTION_PATTERN.test(s) ? planted : rest).push(s);
  if (planted.length === 0) return [];
  const elsewhere = [...new Set(rest.flatMap(lowerWords))];
  const out = new Set<string>();
  for (const w of planted.flatMap(lowerWords)) {
    if (COMMON.has(w) || (w.length < 4 && !/\d/.test(w))) continue;
    // A crude stem, so that "fine" is not taken as planted when the article says "fined".
    const key = stemKey(w);
    if (!elsewhere.some((e) => e.startsWith(key))) out.add(w);
  }
  return [...out];
}

function stemKey(word: string): string {
  return word.slice(0, 5);
}

function fail(reason: string): GuardResult {
  return { ok: false, reason };
}

/**
 * Words that say nothing about whether the model obeyed a planted instruction: the function words
 * and the vocabulary of instructions themselves.
 */
const COMMON: ReadonlySet<string> = new Set([
  ...FUNCTION_WORDS,
  'although',
  'even',
  'every',
  'instead',
  'please',
  'now',
]);
