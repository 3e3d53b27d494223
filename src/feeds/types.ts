/** One feed entry after normalization: the shape every later stage sees. */
export interface NormalizedItem {
  /** Stable within its feed: guid, else the canonical link, else a hash of title and date. */
  id: string;
  /** Canonical URL: absolute, tracking parameters and fragment dropped; null when the entry has none. */
  url: string | null;
  title: string;
  /** ISO 8601 in UTC. */
  published: string;
  /** True when the feed gave no usable date and `published` is the first-seen time. */
  publishedEstimated: boolean;
  author: string | null;
  categories: string[];
  /** Plain text: markup, scripts and styles dropped, entities decoded. */
  content: string;
  enclosures: Enclosure[];
  /**
   * The outlet that published the item when the feed aggregates others (RSS <source>, as Google
   * News sets it); digests credit it instead of the aggregator feed.
   */
  source?: string | null;
}

export interface Enclosure {
  url: string;
  type: string | null;
  length: number | null;
}

/** What parsing one feed document yields. */
export interface ParsedFeed {
  title: string | null;
  link: string | null;
  /** RSS <ttl>, in minutes, when present. */
  ttlMinutes: number | null;
  items: NormalizedItem[];
}

/** The kinds a fetch or parse can fail with; each has a message a person understands. */
export type FetchErrorKind =
  | 'dns'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'http_status'
  | 'too_large'
  | 'not_a_feed'
  | 'malformed_xml'
  | 'too_many_redirects'
  | 'invalid_url'
  | 'blocked'
  | 'io';
