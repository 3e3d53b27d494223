/** The platform-neutral digest: composed in digest/, turned into payloads in render/. */
export interface DigestSource {
  outlet: string;
  url: string | null;
  title: string;
}

export interface DigestTopicReason {
  id: string;
  name: string;
  score: number;
  /** The query terms that matched, e.g. ['"Section 230"', 'traffick*']. */
  terms: string[];
}

export interface DigestEntry {
  storyId: number;
  title: string;
  url: string | null;
  /** The representative item's outlet. */
  outlet: string;
  summary: string;
  /** ISO 8601. */
  published: string;
  /** Every other outlet that reported the story, with its own link. */
  alsoReportedBy: DigestSource[];
  /** Why it matched: topics and their terms. */
  topics: DigestTopicReason[];
}

export interface DigestSection {
  topicId: string;
  topicName: string;
  entries: DigestEntry[];
  /** Stories in this topic left out by the cap; rendered as "…and N more: <command>" (render/common.ts). */
  more: number;
}

export interface Digest {
  /** e.g. "watchdesk digest". */
  title: string;
  subscriptionId: number | null;
  /** ISO 8601. */
  generatedAt: string;
  /** ISO 8601 of the previous delivered digest, when there was one. */
  since: string | null;
  sections: DigestSection[];
  /** Distinct stories across all sections (each story appears once, under the first of its topics in config order). */
  storyCount: number;
}

/** A stored story as composition needs it: the representative item, every source, and its topics. */
export interface StoryCandidate {
  storyId: number;
  announceSeq: number | null;
  firstSeenAt: number;
  title: string;
  url: string | null;
  outlet: string;
  summary: string;
  publishedAt: number;
  /** Every member item with its outlet, representative first. */
  sources: { itemId: number; outlet: string; url: string | null; title: string }[];
  /** Per topic, the best score over members and the terms that matched. */
  topics: { id: string; score: number; terms: string[] }[];
}
