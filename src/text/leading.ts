/**
 * The opening of a long text, for the stages that read articles (classify, summarize, full-text
 * extraction). An article says what it is about in its first few thousand words; reading a
 * multi-megabyte item whole only stalls the bot, since each stage costs at least linear time and
 * the summarizer quadratic. The cut falls where a reader would stop: a paragraph end, else a
 * sentence end, else a space, in the last fifth before the limit.
 */
export function leadingText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = text.slice(0, maxChars);
  const floor = Math.floor(maxChars * 0.8);
  const paragraph = head.lastIndexOf('\n\n');
  if (paragraph >= floor) return head.slice(0, paragraph);
  let sentenceEnd = -1;
  for (const m of head.slice(floor).matchAll(/[.!?…。！？]["'”’»)\]]*(?=\s)/gu))
    sentenceEnd = floor + m.index + m[0].length;
  if (sentenceEnd > 0) return head.slice(0, sentenceEnd);
  const space = head.search(/\s\S*$/u);
  if (space >= floor) return head.slice(0, space);
  // No break in reach (one enormous token): cut, but never between the halves of a surrogate pair.
  return /[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head;
}
