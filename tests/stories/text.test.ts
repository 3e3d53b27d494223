import { describe, expect, it } from 'vitest';
import { storyLead } from '../../src/stories/text.js';

describe('storyLead', () => {
  it('keeps whole sentences up to the limit', () => {
    const text = `${'First sentence states the event in plain words here.'} ${'Second one adds a detail about it.'} ${'Padding follows. '.repeat(20)}`;
    expect(storyLead(text, 100)).toBe(
      'First sentence states the event in plain words here. Second one adds a detail about it.',
    );
  });

  it('returns short text unchanged, whitespace collapsed', () => {
    expect(storyLead('  One line\n\n of text. ')).toBe('One line of text.');
  });

  it('cuts at a word boundary when no sentence ends in reach', () => {
    const lead = storyLead('word '.repeat(100), 50);
    expect(lead.length).toBeLessThanOrEqual(50);
    expect(lead.endsWith('word')).toBe(true);
  });
});
