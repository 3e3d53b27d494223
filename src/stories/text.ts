/**
 * The lead: the first sentence or two of an item's content, at most about 300 characters. The
 * opening of a news text states the event; later sentences drift into background that would
 * make unrelated stories look alike.
 */
export function storyLead(content: string, maxChars = 300): string {
  // Only the opening is ever kept: normalizing a multi-megabyte item whole would cost seconds.
  const text = content
    .slice(0, maxChars * 8)
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= maxChars) return text;
  let end = 0;
  const re = /[.!?]["')\]]?\s+(?=["'([]?[A-Z0-9])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const cut = m.index + m[0].trimEnd().length;
    if (cut > maxChars) break;
    end = cut;
  }
  if (end >= 40) return text.slice(0, end);
  // No sentence end in reach: cut at a word boundary instead.
  const slice = text.slice(0, maxChars);
  const space = slice.lastIndexOf(' ');
  return space > maxChars / 2 ? slice.slice(0, space) : slice;
}
