import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { classify, compileTopics, explainHits, MAX_CONTENT_CHARS } from '../../src/topics/classify.js';
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

  it('reads only the opening MAX_CONTENT_CHARS of a long content', () => {
    const topics = compileTopics({ dsa: { name: 'DSA', query: '"Digital Services Act"' } });
    const filler = 'The weather stayed mild for the whole week. '.repeat(Math.ceil(MAX_CONTENT_CHARS / 44));
    const early = `The Digital Services Act applies. ${filler}`;
    const late = `${filler}The Digital Services Act applies.`;
    expect(classify({ title: 'Weekly notes', content: early }, topics).map((m) => m.topic)).toEqual(['dsa']);
    expect(classify({ title: 'Weekly notes', content: late }, topics)).toEqual([]);
    // the title is always read whole
    expect(classify({ title: 'Digital Services Act notes', content: late }, topics).map((m) => m.topic)).toEqual([
      'dsa',
    ]);
  });

  it('names the topic when a query does not compile', () => {
    expect(() => compileTopics({ good: { name: 'G', query: 'a' }, bad: { name: 'B', query: 'a AND' } })).toThrow(
      /topic bad: dangling AND/,
    );
    const err = catchError(() => compileTopics({ bad: { name: 'B', query: 'x OR (y' } }));
    expect(err).toBeInstanceOf(QuerySyntaxError);
    expect((err as QuerySyntaxError).position).toBe(5);
  });

  it("drops a topic when its `not` context matches, and keeps the others' explanations exact", () => {
    const withNot = compileTopics({
      trafficking: { name: 'T', query: 'trafficking', not: 'drug* OR cocaine' },
      s230: { name: 'S', query: '"Section 230"' },
    });
    const drug = { title: 'Drug trafficking ring broken up', content: 'Section 230 was not at issue.' };
    expect(classify(drug, withNot).map((m) => m.topic)).toEqual(['s230']);
    const human = { title: 'Trafficking case opens', content: 'Prosecutors describe forced labor on farms.' };
    expect(classify(human, withNot)).toMatchObject([{ topic: 'trafficking', explanation: 'title: trafficking' }]);
  });

  it('drops a match that scores under the topic minScore', () => {
    const strict = compileTopics({ kosa: { name: 'KOSA', query: 'KOSA', minScore: 0.3 } });
    // one mention in the text scores about 0.22; one in the title about 0.46
    expect(classify({ title: 'A week in Washington', content: 'KOSA came up once.' }, strict)).toEqual([]);
    expect(classify({ title: 'KOSA vote set', content: 'The Senate votes.' }, strict)).toMatchObject([
      { topic: 'kosa', explanation: 'title: KOSA' },
    ]);
  });

  it('makes a bad `not` query a config error at topics.<id>.not', () => {
    const yaml = "topics:\n  kids:\n    name: Kids\n    query: KOSA\n    not: 'casino AND'\n";
    const caught = catchError(() => parseConfigText(yaml, 'bad.yaml'));
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues.map((i) => i.path)).toEqual(['topics.kids.not']);
    expect(() => compileTopics({ kids: { name: 'K', query: 'KOSA', not: '(casino' } })).toThrow(/topic kids \(not\)/);
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
