import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/app/demo.js';

describe('watchdesk demo', () => {
  it('runs a whole offline cycle and prints a complete digest', async () => {
    const out = new PassThrough();
    let digest = '';
    out.on('data', (c: Buffer) => {
      digest += c.toString();
    });
    const notes: string[] = [];
    const result = await runDemo({ out, notes: (l) => notes.push(l) });

    expect(notes[0]).toMatch(/^poll 1: 2 items from 4 feeds stored \(first poll/);
    expect(notes[1]).toMatch(/^poll 2: 13 new items/);
    expect(result.stories).toBeGreaterThanOrEqual(4);
    // topics as section headings, with the beat's stories under them
    for (const heading of ['## UK Online Safety Act', '## EU Digital Services Act', '## Child online safety']) {
      expect(digest).toContain(heading);
    }
    expect(digest).toContain('ListYard');
    // clustered sources, summaries and why it matched
    expect(digest).toMatch(
      /\*\*Also reported by:\*\* \[Continental Policy Daily\]\(http:\/\/127\.0\.0\.1:\d+\/continental\//,
    );
    expect(digest).toMatch(/\*\*Why it matched:\*\* EU Digital Services Act \(/);
    expect(digest).toContain('Digital Services Act investigation into Bazaro');
    // the backlog (first poll) and the noise never reach the digest
    for (const absent of ['Lumen 9', 'app store liability', 'fentanyl', 'marathon', 'chili']) {
      expect(digest).not.toContain(absent);
    }
    // each event appears once, however many outlets told it
    expect(digest.match(/^### .*Bazaro/gm)).toHaveLength(1);
    expect(digest.match(/^### .*(Kids Online Safety Act)/gm)).toHaveLength(1);
    expect(digest.match(/^### .*ListYard/gm)).toHaveLength(1);
    expect(digest).toMatch(/\*\*Also reported by:\*\* \[Justice Wire\]\([^)]*\), \[Harbor Tech Review\]/);
  });
});
