import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseInput } from '../../src/cli/classify.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../src/config/load.js';
import { classify, compileTopics } from '../../src/topics/classify.js';
import { compileQuery } from '../../src/topics/query.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/articles');
const config = loadConfig({ file: DEFAULT_CONFIG_FILE, env: { secrets: {} } });
const topics = compileTopics(config.topics);

function topicsOf(fixture: string): string[] {
  const doc = parseInput(readFileSync(path.join(FIXTURES, fixture), 'utf8'), fixture);
  return classify(doc, topics)
    .map((m) => m.topic)
    .sort();
}

/** Which default topics each synthetic article must match: no more, no fewer. */
const EXPECTED: Record<string, string[]> = {
  'backpage-style-sentencing.txt': ['enforcement-courts', 'platform-liability', 'trafficking-law'],
  'labor-trafficking-farms.txt': ['enforcement-courts', 'trafficking-law'],
  'section-230-algorithm-ruling.txt': ['enforcement-courts', 'platform-liability'],
  // a bill is not enforcement: nothing has been ruled, charged or fined
  'earn-it-act-reintroduced.txt': ['child-safety', 'platform-liability'],
  'kosa-senate-vote.txt': ['child-safety'],
  'age-verification-injunction.txt': ['child-safety', 'enforcement-courts'],
  'coppa-ftc-settlement.json': ['child-safety', 'enforcement-courts'],
  'dsa-formal-proceedings.txt': ['enforcement-courts', 'eu-dsa'],
  'ofcom-illegal-harms-codes.txt': ['child-safety', 'enforcement-courts', 'uk-osa'],
  // Australia's act of the same name is not the UK one
  'australia-esafety-notice.txt': ['enforcement-courts'],
  // noise: drug/wildlife "trafficking", a political "DSA", sports rulings and fines, "fine dining"
  'drug-cartel-fentanyl.txt': [],
  'wildlife-trafficking.txt': [],
  'dsa-socialists-chapter.txt': [],
  'sports-cup-final.txt': [],
  'cooking-braised-beans.txt': [],
  // the general rules of topics-dev's labels: an identity vendor's age-check product is not law,
  // the EU commissioner's pressure on platforms is DSA news, a weekly look-back is no one story,
  // a case against the government over pressure on platforms is not an action against platforms,
  // and states suing a social app over harm to teens is both child safety and enforcement
  'age-check-vendor-funding.txt': [],
  'commissioner-warns-platforms.txt': ['eu-dsa'],
  'weekly-history-roundup.txt': [],
  'jawboning-ruling.txt': [],
  'state-ags-sue-social-app.txt': ['child-safety', 'enforcement-courts'],
};

describe('default beat topics (config/default.yaml)', () => {
  it('loads with loadConfig and every topic query compiles', () => {
    expect(Object.keys(config.topics)).toEqual(
      expect.arrayContaining([
        'trafficking-law',
        'platform-liability',
        'child-safety',
        'eu-dsa',
        'uk-osa',
        'enforcement-courts',
      ]),
    );
    for (const [id, topic] of Object.entries(config.topics)) {
      expect(() => compileQuery(topic.query), id).not.toThrow();
    }
    expect(topics).toHaveLength(Object.keys(config.topics).length);
  });

  it('has an expectation for every fixture article', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s matches %j', (fixture, expected) => {
    expect(topicsOf(fixture)).toEqual([...expected].sort());
  });

  it('matches the seed-like Backpage story as trafficking law and platform liability, with reasons', () => {
    const doc = parseInput(readFileSync(path.join(FIXTURES, 'backpage-style-sentencing.txt'), 'utf8'), 'seed');
    const byTopic = new Map(classify(doc, topics).map((m) => [m.topic, m]));
    expect(byTopic.get('trafficking-law')?.explanation).toContain('"sex traffick*"');
    expect(byTopic.get('platform-liability')?.explanation).toContain('"Communications Decency Act"');
  });

  it('keeps drug trafficking out of trafficking-law but not human trafficking that mentions drugs', () => {
    const q = topics.find((t) => t.id === 'trafficking-law')!.query;
    const drug = {
      title: 'Three charged with trafficking cocaine',
      content: 'The cartel trafficked fentanyl and cocaine; agents seized drugs and cash in a smuggling raid.',
    };
    const human = {
      title: 'Motel owner charged with sex trafficking',
      content: 'Prosecutors say he gave victims drugs to keep them compliant, and also faces a drug trafficking count.',
    };
    expect(q.match(drug)).toBeNull();
    expect(q.match(human)).not.toBeNull();
  });

  it('does not take the US Kids Online Safety Act for the UK act', () => {
    const uk = topics.find((t) => t.id === 'uk-osa')!.query;
    expect(
      uk.match({ title: 'Kids Online Safety Act clears committee', content: 'The Senate bill moves.' }),
    ).toBeNull();
    expect(uk.match({ title: 'Online Safety Act duties begin', content: 'Services must now comply.' })).not.toBeNull();
  });
});
