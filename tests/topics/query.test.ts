import { describe, expect, it } from 'vitest';
import { indexDocument } from '../../src/topics/field-index.js';
import { compileQuery } from '../../src/topics/query.js';

const doc = (title: string, content = '') => ({ title, content });
const matches = (query: string, title: string, content = '') => compileQuery(query).match(doc(title, content)) !== null;

describe('topics/query matching', () => {
  it.each([
    // case-insensitive, word boundaries
    ['backpage', 'BACKPAGE co-founder sentenced', true],
    ['art', 'A party for the department', false],
    ['traffic', 'Sex trafficking case', false],
    ['traffick*', 'Sex trafficking case', true],
    ['traffick*', 'Heavy traffic downtown', false],
    ['traffick*', 'Traffickers convicted', true],
    // plural and possessive folding, in both directions
    ['platform', "The platform's new rules", true],
    ['platform', 'Platforms face new rules', true],
    ['platforms', 'A platform faces new rules', true],
    ['policy', 'New policies announced', true],
    ['policies', 'A new policy announced', true],
    ['child', "Children's safety online", true],
    ['"platform liability"', 'Platforms’ liability in court', true],
    // phrases need adjacency and order
    ['"sex trafficking"', 'Sex-trafficking ring busted', true],
    ['"sex trafficking"', 'Trafficking of sex workers', false],
    ['"sex trafficking"', 'Sex and trafficking', false],
    ['"human traffick*"', 'Human traffickers jailed', true],
    ['"Section 230"', 'Section 230 reform stalls', true],
    ['"Section 230"', 'Section 23 of the code', false],
    ['FOSTA-SESTA', 'The fosta sesta package', true],
    // diacritics are ignored
    ['regulation', 'Régulation européenne', true],
  ])('%s on %j → %s', (query, title, expected) => {
    expect(matches(query, title)).toBe(expected);
  });

  it('applies AND, OR, NOT', () => {
    const q = compileQuery('trafficking AND (human OR sex) NOT drug');
    expect(q.match(doc('Human trafficking ring'))).not.toBeNull();
    expect(q.match(doc('Sex trafficking ring'))).not.toBeNull();
    expect(q.match(doc('Trafficking ring'))).toBeNull();
    expect(q.match(doc('Human trafficking ring', 'Police also found drugs.'))).toBeNull();
  });

  it('scopes terms to the title or the content', () => {
    const q = compileQuery('title:Backpage');
    expect(q.match(doc('Backpage case', ''))).not.toBeNull();
    expect(q.match(doc('A case', 'about Backpage'))).toBeNull();
    const c = compileQuery('content:(FOSTA OR SESTA)');
    expect(c.match(doc('FOSTA turns five', ''))).toBeNull();
    expect(c.match(doc('Anniversary', 'SESTA turns five'))?.hits).toEqual([
      { term: 'SESTA', field: 'content', count: 1 },
    ]);
  });

  it('reports which terms hit, in which field, how often', () => {
    const q = compileQuery('"Section 230" OR Backpage OR traffick* OR KOSA');
    const m = q.match(doc('Backpage and Section 230', 'Section 230 again. Section 230 always. Trafficking.'));
    expect(m?.hits).toEqual([
      { term: '"Section 230"', field: 'title', count: 1 },
      { term: 'Backpage', field: 'title', count: 1 },
      { term: '"Section 230"', field: 'content', count: 2 },
      { term: 'traffick*', field: 'content', count: 1 },
    ]);
  });

  it('lists only terms of satisfied branches', () => {
    const q = compileQuery('(alpha AND beta) OR gamma');
    expect(q.match(doc('alpha gamma'))?.hits.map((h) => h.term)).toEqual(['gamma']);
  });

  it('does not match on negations alone', () => {
    const q = compileQuery('alpha OR NOT beta');
    expect(q.match(doc('nothing here'))).toBeNull();
    expect(q.match(doc('alpha'))).not.toBeNull();
  });

  it('gives the same answer on a prepared document as on the raw one', () => {
    const q = compileQuery('"sex trafficking" OR title:Backpage');
    const d = doc('Backpage', 'A sex trafficking case');
    expect(q.matchPrepared(indexDocument(d))).toEqual(q.match(d));
  });
});

describe('topics/query scoring', () => {
  const score = (query: string, title: string, content = '') =>
    compileQuery(query).match(doc(title, content))?.score ?? 0;

  it('scores a match above 0 and below 1', () => {
    const s = score('kosa', '', 'KOSA');
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThan(1);
  });

  it('weighs a title hit above a content hit', () => {
    expect(score('kosa', 'KOSA vote', 'nothing')).toBeGreaterThan(score('kosa', 'Vote', 'KOSA'));
  });

  it('rises with more distinct terms', () => {
    const q = 'kosa OR coppa OR "earn it"';
    expect(score(q, '', 'KOSA and COPPA')).toBeGreaterThan(score(q, '', 'KOSA and more'));
    expect(score(q, '', 'KOSA, COPPA, earn it')).toBeGreaterThan(score(q, '', 'KOSA and COPPA'));
  });

  it('has diminishing returns on repeats', () => {
    const one = score('kosa', '', 'KOSA');
    const two = score('kosa', '', 'KOSA KOSA');
    const four = score('kosa', '', 'KOSA KOSA KOSA KOSA');
    expect(two).toBeGreaterThan(one);
    expect(four).toBeGreaterThan(two);
    expect(four - two).toBeLessThan(two - one);
    // repeating one term never beats two distinct terms mentioned once each
    expect(score('kosa OR coppa', '', 'KOSA COPPA')).toBeGreaterThan(score('kosa OR coppa', '', 'KOSA KOSA'));
  });
});
