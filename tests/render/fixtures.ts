/** Synthetic digests for the render tests (our own wording). */
import type { Digest, DigestEntry, DigestSection, DigestSource } from '../../src/digest/types.js';

export const storyUrl = (id: number) => `https://news.example/story/${id}`;

export function entry(storyId: number, over: Partial<DigestEntry> = {}): DigestEntry {
  return {
    storyId,
    title: `Story ${storyId}: appeals court revisits platform liability shield`,
    url: storyUrl(storyId),
    outlet: 'Capitol Wire',
    summary: `Summary of story ${storyId}. Lawmakers debated how the liability shield applies to recommendation systems.`,
    published: '2026-01-02T14:05:00Z',
    alsoReportedBy: [
      { outlet: 'Policy Daily', url: `https://policy.example/a/${storyId}`, title: 'Court revisits shield' },
      { outlet: 'Harbor Times', url: `https://harbor.example/n/${storyId}`, title: 'Shield under review' },
    ],
    topics: [{ id: 'section-230', name: 'Section 230', score: 0.82, terms: ['"Section 230"', 'liability shield'] }],
    ...over,
  };
}

export function section(topicId: string, entries: DigestEntry[], more = 0, topicName = topicId): DigestSection {
  return { topicId, topicName, entries, more };
}

export function digest(sections: DigestSection[], over: Partial<Digest> = {}): Digest {
  return {
    title: 'watchdesk digest',
    subscriptionId: 1,
    generatedAt: '2026-01-03T09:00:00Z',
    since: '2026-01-02T09:00:00Z',
    sections,
    storyCount: sections.reduce((n, s) => n + s.entries.length, 0),
    ...over,
  };
}

export function outlets(n: number, urlPadding = 0): DigestSource[] {
  return Array.from({ length: n }, (_, i) => ({
    outlet: `Outlet ${i + 1}`,
    url: `https://outlet${i + 1}.example/news/${'x'.repeat(urlPadding)}/${i + 1}`,
    title: `Report ${i + 1}`,
  }));
}

/**
 * `n` stories over five topics with summaries of varied length and 0–7 other outlets, so that parts fill up on
 * both the per-message count and the character limits. Three topics report stories left out by the cap.
 */
export function bigDigest(n: number): Digest {
  const topics = ['section-230', 'fosta-sesta', 'tvpa', 'kosa', 'dsa'];
  const sections = topics.map((id, t) => {
    const ids = Array.from({ length: n }, (_, i) => i + 1).filter((i) => i % topics.length === t);
    const entries = ids.map((id2) =>
      entry(id2, {
        summary: `Story ${id2} summary. ${'Regulators and courts weigh new duties for online platforms. '.repeat(1 + (id2 % 9) * 4)}`,
        alsoReportedBy: outlets(id2 % 8),
        topics: [{ id, name: id.toUpperCase(), score: 0.5, terms: [id, `${id} enforcement`] }],
      }),
    );
    return section(id, entries, t % 2 === 0 ? 3 + t : 0, id.toUpperCase());
  });
  return digest(sections);
}
