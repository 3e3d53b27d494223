/**
 * Platform limits from ../shared/PLATFORM-LIMITS.md. Lengths are measured with String#length (UTF-16 code
 * units), which is never less than the code-point count the platforms document, so staying under these in
 * UTF-16 keeps us under them however the platform counts.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedsTotalChars: 6000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
} as const;

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  /** Slack truncates `text` past 40,000 and asks senders to stay under 4,000. */
  messageText: 4000,
  /** Not in PLATFORM-LIMITS.md: Block Kit caps a context block at 10 elements and a text object at 3,000. */
  contextElements: 10,
  textObject: 3000,
} as const;

/**
 * Our own, tighter budgets. They keep entries readable and guarantee that the largest possible section heading,
 * entry and "…and N more" trailer still fit together in one empty message, so splitting never fails.
 */
export const BUDGETS = {
  /** A section heading (topic name, maybe "(continued)"). */
  headingChars: 140,
  /** The "…and N more: `/digest latest <topic>`" line (the CLI form on the console). */
  trailerChars: 200,
  topicIdChars: 100,
  outletChars: 80,
  /** Footer / context line with outlet and date. */
  metaChars: 200,
  /** "Why it matched". */
  whyChars: 700,
  /** Room the "also reported by" list may claim from a long summary. */
  sourcesReserve: 1200,
  /** Links longer than this are shown as plain text: a link no one can read is not worth the space. */
  inlineUrlChars: 600,
  embedUrlChars: 2048,
  digestTitleChars: 120,
  /** Slack has no documented total per message; we split past this many characters of block text for readability. */
  slackMessageChars: 12_000,
  /** Markdown has no platform limit; these keep console output readable. */
  markdownTitleChars: 300,
  markdownSummaryChars: 4000,
} as const;
