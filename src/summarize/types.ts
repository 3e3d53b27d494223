export interface SummaryBudget {
  /** At most this many sentences. */
  sentences: number;
  /** At most this many characters in total (never cutting a sentence). */
  maxChars: number;
}

export interface SummaryInput {
  title: string;
  text: string;
}

export interface Summary {
  text: string;
  sentences: string[];
  method: 'extractive' | 'llm' | 'title';
  /** Why a fallback happened (e.g. "llm: timeout after 30s"), or null. */
  note: string | null;
}

/** A real boundary: the offline extractive summarizer, or an LLM behind an HTTP API. */
export interface Summarizer {
  summarize(input: SummaryInput, budget: SummaryBudget): Promise<Summary>;
}
