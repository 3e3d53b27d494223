/**
 * What a command answers: plain data that render/ turns into Discord embeds, Slack blocks or Markdown. Every
 * string in a Reply is plain text: renderers escape it, so a feed title or a name someone typed can never format
 * the message or ping anyone. The only formatting is the span kinds below, which renderers draw themselves.
 */
import type { DigestEntry } from '../digest/types.js';

/** A run of text: plain, a command to type (drawn as code), strong, or a link we built. */
export type Span = string | { code: string } | { strong: string } | { text: string; url: string };

/** One line of text made of spans; a bare string is one plain span. */
export type Line = string | Span[];

export interface ReplyRow {
  /** e.g. a topic's name, a feed's name, a subscription. */
  label: string;
  lines: Line[];
}

export interface ReplySection {
  heading: string;
  /** Stories, drawn exactly as digest entries are. */
  entries: DigestEntry[];
  /** Facts about one thing each: a topic and its query, a feed and its health. */
  rows: ReplyRow[];
  /** Stories of this section left out, as in a digest: "…and N more". */
  more?: { count: number; command: string };
}

export interface ReplyError {
  /** What happened. */
  what: Line;
  /** What to do, or type, instead. */
  todo: Line;
}

export interface Reply {
  /** Shown only to the person who asked. */
  ephemeral: boolean;
  title: string;
  /** Lines under the title: counts, what changed, when the next poll is. */
  notices: Line[];
  sections: ReplySection[];
  /** A last line, e.g. "…and 12 more". */
  footer?: Line;
  error?: ReplyError;
  /** Opaque id of the stored state of the next page; a renderer draws it as a "Next page" button. */
  nextPage?: string;
}

export function reply(title: string, parts: Partial<Omit<Reply, 'title'>> = {}): Reply {
  return { ephemeral: false, notices: [], sections: [], ...parts, title };
}

/** Bad input or a refusal: always ephemeral, always says what happened and then what to do. */
export function errorReply(title: string, what: Line, todo: Line): Reply {
  return { ephemeral: true, title, notices: [], sections: [], error: { what, todo } };
}

export function code(text: string): Span {
  return { code: text };
}

export function strong(text: string): Span {
  return { strong: text };
}

export function link(text: string, url: string): Span {
  return { text, url };
}
