/** The two fields of a document a query can look in (and scope a term to). */
export type FieldName = 'title' | 'content';

/** Why a topic matched: each term that hit, where, and how often. */
export interface TermHit {
  term: string;
  field: FieldName;
  count: number;
}

export interface TopicMatch {
  topic: string;
  score: number;
  hits: TermHit[];
  /** One line a person can read, e.g. `"Section 230" in title; platform liab* in text`. */
  explanation: string;
}

export interface ClassifiableText {
  title: string;
  content: string;
}
