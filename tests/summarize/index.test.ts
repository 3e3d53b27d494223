import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createLogger } from '../../src/log.js';
import { createSummarizer, type SummarizerConfig, summaryBudget } from '../../src/summarize/index.js';
import type { SummaryInput } from '../../src/summarize/types.js';
import { DEFAULT_ANSWER, type FakeLlm, startFakeLlm } from '../helpers/fake-llm.js';

const ARTICLE: SummaryInput = {
  title: 'Senate panel advances online child safety bill',
  text: [
    'A Senate committee voted 14 to 3 on Thursday to advance a bill that would require large platforms to limit features that keep minors scrolling.',
    'The measure would also let state attorneys general sue companies that fail to act on known risks to children.',
    'Civil liberties groups said the bill could push sites to collect more data to verify ages.',
    'Supporters said they expect a floor vote before the summer recess.',
  ].join(' '),
};

let fake: FakeLlm;
beforeEach(async () => {
  fake = await startFakeLlm();
});
afterEach(async () => {
  await fake.close();
});

function config(input: { useLlm?: boolean; enabled?: boolean; apiKey?: string }): SummarizerConfig {
  const parsed = configSchema.parse({
    summarize: { useLlm: input.useLlm ?? false },
    llm: { enabled: input.enabled ?? false, baseUrl: fake.baseUrl, model: 'tiny' },
  });
  return { ...parsed, secrets: { llmApiKey: input.apiKey } };
}

describe('createSummarizer', () => {
  it('is extractive and offline by default', async () => {
    const cfg = config({});
    const summary = await createSummarizer(cfg).summarize(ARTICLE, summaryBudget(cfg));
    expect(summary.method).toBe('extractive');
    expect(summary.note).toBeNull();
    expect(summary.sentences.length).toBeGreaterThan(0);
    expect(summary.text.length).toBeLessThanOrEqual(320);
    expect(fake.requests).toHaveLength(0);
  });

  it('uses the LLM, with the key from the secrets, when useLlm and llm.enabled are both set', async () => {
    const cfg = config({ useLlm: true, enabled: true, apiKey: 'sk-from-env-1234' });
    const summary = await createSummarizer(cfg).summarize(ARTICLE, summaryBudget(cfg));
    expect(summary).toMatchObject({ method: 'llm', text: DEFAULT_ANSWER, note: null });
    expect(fake.requests[0]?.body?.model).toBe('tiny');
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-from-env-1234');
  });

  it('falls back to the extractive summary with the reason when the LLM fails', async () => {
    fake.script({ kind: 'status', status: 503 });
    const cfg = config({ useLlm: true, enabled: true });
    const summary = await createSummarizer(cfg).summarize(ARTICLE, summaryBudget(cfg));
    expect(summary.method).toBe('extractive');
    expect(summary.note).toBe('llm: HTTP 503, used extractive');
    expect(summary.sentences.length).toBeGreaterThan(0);
  });

  it('stays extractive, and says why, when useLlm is set but llm.enabled is not', async () => {
    const lines: string[] = [];
    const cfg = config({ useLlm: true, enabled: false });
    const summarizer = createSummarizer(cfg, { log: createLogger({ write: (l) => lines.push(l) }) });
    expect((await summarizer.summarize(ARTICLE, summaryBudget(cfg))).method).toBe('extractive');
    expect(fake.requests).toHaveLength(0);
    expect(lines.join('\n')).toMatch(/llm\.enabled is false/);
  });

  it('lets the caller turn the LLM on (summarize --llm) or off regardless of summarize.useLlm', async () => {
    const off = config({ useLlm: false, enabled: true });
    expect((await createSummarizer(off, { useLlm: true }).summarize(ARTICLE, summaryBudget(off))).method).toBe('llm');
    const on = config({ useLlm: true, enabled: true });
    expect((await createSummarizer(on, { useLlm: false }).summarize(ARTICLE, summaryBudget(on))).method).toBe(
      'extractive',
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('counts requests in the injected budget store', async () => {
    const counts = new Map<string, number>();
    const budgetStore = {
      get: (d: string) => counts.get(d) ?? 0,
      increment: (d: string) => void counts.set(d, (counts.get(d) ?? 0) + 1),
    };
    const cfg = config({ useLlm: true, enabled: true });
    const now = () => Date.parse('2025-06-01T12:00:00Z');
    await createSummarizer(cfg, { budgetStore, now }).summarize(ARTICLE, summaryBudget(cfg));
    expect(counts.get('2025-06-01')).toBe(1);
  });
});
