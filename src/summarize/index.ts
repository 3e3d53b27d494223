import type { LlmConfig } from '../config/schema.js';
import { type Logger, silentLogger } from '../log.js';
import { createExtractiveSummarizer } from './extractive.js';
import { type BudgetStore, createLlmSummarizer } from './llm.js';
import type { Summarizer, SummaryBudget } from './types.js';

export type { BudgetStore } from './llm.js';
export type { Summarizer, Summary, SummaryBudget, SummaryInput } from './types.js';

/** The parts of the loaded Config the summarizer needs (Config satisfies it). */
export interface SummarizerConfig {
  summarize: { sentences: number; maxChars: number; useLlm: boolean };
  llm: LlmConfig;
  secrets: { llmApiKey?: string };
}

export interface SummarizerDeps {
  log?: Logger;
  /** Where the LLM's daily request count lives; in memory when absent (resets on restart). */
  budgetStore?: BudgetStore;
  now?: () => number;
  /** Overrides summarize.useLlm, e.g. for `watchdesk summarize --llm`; llm.enabled must still be true. */
  useLlm?: boolean;
}

/**
 * The summarizer the app uses: offline extractive by default; the LLM, with the extractive
 * summarizer as its fallback, when summarize.useLlm and llm.enabled are both set.
 */
export function createSummarizer(config: SummarizerConfig, deps: SummarizerDeps = {}): Summarizer {
  const log = deps.log ?? silentLogger;
  const extractive = createExtractiveSummarizer();
  const wantLlm = deps.useLlm ?? config.summarize.useLlm;
  if (!wantLlm) return extractive;
  if (!config.llm.enabled) {
    log.warn('LLM summaries requested but llm.enabled is false; using the extractive summarizer');
    return extractive;
  }
  return createLlmSummarizer({
    baseUrl: config.llm.baseUrl,
    model: config.llm.model,
    apiKey: config.secrets.llmApiKey,
    timeoutMs: config.llm.timeout,
    concurrency: config.llm.concurrency,
    dailyBudget: config.llm.dailyBudget,
    maxOutputChars: config.llm.maxOutputChars,
    fallback: extractive,
    now: deps.now,
    log: log.child({ component: 'llm' }),
    budgetStore: deps.budgetStore,
  });
}

/** The configured summary budget (summarize.sentences, summarize.maxChars). */
export function summaryBudget(config: Pick<SummarizerConfig, 'summarize'>): SummaryBudget {
  return { sentences: config.summarize.sentences, maxChars: config.summarize.maxChars };
}
