import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { classify, compileTopics, explainHits } from '../../src/topics/classify.js';
import { QuerySyntaxError } from '../../src/topics/query.js';

const topics = compileTopics({
  fosta: { name: 'FOSTA', query: 'FOSTA OR SESTA' },
  s230: { name: 'Section 230', query: '"Section 230" OR "platform liability"' },
  kosa: { name: 'KOSA', query: 'KOSA' },
});

describe('topics/classify', () => {
  it('returns every matching topic, best score first, with hits and an explanation', () => {
    const result = classify(
      { title: 'Platform liability after FOSTA', content: 'Section 230 was narrowed. Section 230 remains.' },
      topics,
    );
    expect(result.map((m) => m.topic)).toEqual(['s230', 'fosta']);
    expect(result[0]!.score).toBeGreaterThan(result[1]!.score);
    expect(result[0]).toMatchObject({
      hits: [
        { term: '"platform liability"', field: 'title', count: 1 },
        { term: '"Section 230"', field: 'content', count: 2 },
      ],
      explanation: '"Section 230" ×2 in text; title: "platform liability"',
    });
    expect(result[1]!.explanation).toBe('title: FOSTA');
  });

  it('returns nothing for an unrelated document', () => {
    expect(classify({ title: 'Cup final', content: 'A late header won it.' }, topics)).toEqual([]);
  });

  it('explains content-only and multi-term hits on one line', () => {
    expect(
      explainHits([
        { term: 'Backpage', field: 'content', count: 3 },
        { term: 'TVPA', field: 'content', count: 1 },
      ]),
    ).toBe('Backpage ×3, TVPA in text');
  });

  it('names the topic when a query does not compile', () => {
    expect(() => compileTopics({ good: { name: 'G', query: 'a' }, bad: { name: 'B', query: 'a AND' } })).toThrow(
      /topic bad: dangling AND/,
    );
    const err = catchError(() => compileTopics({ bad: { name: 'B', query: 'x OR (y' } }));
    expect(err).toBeInstanceOf(QuerySyntaxError);
    expect((err as QuerySyntaxError).position).toBe(5);
  });

  it('makes a bad query a config error at topics.<id>.query with the position', () => {
    const yaml = "topics:\n  child-safety:\n    name: Kids\n    query: 'KOSA OR (COPPA'\n";
    const caught = catchError(() => parseConfigText(yaml, 'bad.yaml'));
    expect(caught).toBeInstanceOf(ConfigError);
    const issue = (caught as ConfigError).issues.find((i) => i.path === 'topics.child-safety.query');
    expect(issue?.found).toContain('unbalanced parenthesis');
    expect(issue?.found).toContain('position 8');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}
