import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { checkSubscription } from '../../src/config/subscription.js';

// Issue 7 item 13: topic scores run from 0 to 1, so a minScore outside that range can only be a mistake.
describe('minScore outside 0..1', () => {
  it('is refused in a subscription and a topic of the config file, with the path', () => {
    const text = [
      'topics:',
      '  dsa: { name: DSA, query: DSA, minScore: 1.5 }',
      'subscriptions:',
      '  - { platform: console, channel: desk, minScore: 2 }',
      '  - { platform: console, channel: desk2, minScore: -0.1 }',
    ].join('\n');
    let message = '';
    try {
      parseConfigText(text, 'team.yaml');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('team.yaml: topics.dsa.minScore: expected a number of at most 1, found number 1.5');
    expect(message).toContain('team.yaml: subscriptions.0.minScore: expected a number of at most 1, found number 2');
    expect(message).toContain(
      'team.yaml: subscriptions.1.minScore: expected a number of at least 0, found number -0.1',
    );
    expect(() =>
      parseConfigText('subscriptions:\n  - { platform: console, channel: d, minScore: 1 }\n', 'ok.yaml'),
    ).not.toThrow();
  });

  it('is refused by subscriptions add --min-score (the check every subscription goes through)', () => {
    const checked = checkSubscription({ platform: 'console', channel: 'desk', minScore: 2 }, []);
    expect(checked.ok).toBe(false);
    if (!checked.ok)
      expect(checked.issues).toEqual([{ path: 'minScore', expected: 'a number of at most 1', found: 'number 2' }]);
  });
});
