import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSql } from '../../src/store/migrations/migrate.js';
import { postgresSql } from '../../src/store/postgres-driver.js';
import { type Sql, sqlOf } from '../../src/store/sql.js';
import { dropPgSchema, pgSchemaUrl, pgTestSchema, tempDb } from '../helpers/db.js';

/**
 * Issue 16: PostgreSQL's trigger functions keep story_topics and stories.on_beat as SQLite's triggers
 * (migration 9) do. The same writes, in portable SQL, run on both stores; after each one both hold
 * the same rows, and the rows are the ones the rules call for.
 */
const schema = pgTestSchema();
const lite = tempDb();
let pg: Sql;

beforeAll(async () => {
  pg = await postgresSql(pgSchemaUrl(schema));
  await migrateSql(pg);
});

afterAll(async () => {
  await pg.close();
  await dropPgSchema(schema);
  lite.close();
});

type Snapshot = { topics: string[]; onBeat: string[] };

/** The same story of writes on one store; returns what story_topics and on_beat hold after each step. */
async function scenario(sql: Sql): Promise<Record<string, Snapshot>> {
  const id = async (q: string, params: unknown[]) => (await sql.value<number>(q, params)) as number;
  const feed = await id('INSERT INTO feeds (url, interval_ms, created_at) VALUES (?, 60000, 0) RETURNING id', ['f']);
  const story = (title: string, at: number) =>
    id('INSERT INTO stories (title, first_seen_at, updated_at) VALUES (?, ?, ?) RETURNING id', [title, at, at]);
  const item = (guid: string) =>
    id("INSERT INTO items (feed_id, guid, title, published_at, first_seen_at) VALUES (?, ?, 't', 0, 0) RETURNING id", [
      feed,
      guid,
    ]);
  const names = new Map<number, string>();
  const a = await story('A', 100);
  const b = await story('B', 200);
  names.set(a, 'A').set(b, 'B');
  const i1 = await item('i1');
  const i2 = await item('i2');
  const topic = (itemId: number, t: string) =>
    sql.run("INSERT INTO item_topics (item_id, topic, score, explanation) VALUES (?, ?, 1.0, '')", [itemId, t]);
  const snap = async (): Promise<Snapshot> => ({
    topics: (
      await sql.all<{ s: number; topic: string; at: number }>(
        'SELECT story_id AS s, topic, first_seen_at AS at FROM story_topics ORDER BY story_id, topic',
      )
    ).map((r) => `${names.get(r.s)}:${r.topic}@${r.at}`),
    onBeat: (await sql.all<{ id: number; on: number }>('SELECT id, on_beat AS "on" FROM stories ORDER BY id')).map(
      (r) => `${names.get(r.id)}=${r.on}`,
    ),
  });
  const steps: Record<string, Snapshot> = {};
  await topic(i1, 'fosta');
  steps['topic before any story'] = await snap();
  await sql.run('UPDATE items SET story_id = ? WHERE id = ?', [a, i1]);
  steps['item joins A'] = await snap();
  await topic(i1, 'kosa');
  await sql.run('UPDATE items SET story_id = ? WHERE id = ?', [a, i2]);
  await topic(i2, 'dsa');
  steps['second item and topics'] = await snap();
  await sql.run('UPDATE items SET story_id = ? WHERE id = ?', [b, i1]);
  steps['first item moves to B'] = await snap();
  await sql.run("DELETE FROM item_topics WHERE item_id = ? AND topic = 'dsa'", [i2]);
  steps['topic removed'] = await snap();
  await sql.run('UPDATE stories SET first_seen_at = 150 WHERE id = ?', [b]);
  steps['story B moved'] = await snap();
  await sql.run('DELETE FROM items WHERE id = ?', [i1]);
  steps['item deleted'] = await snap();
  return steps;
}

describe('story_topics triggers on both dialects', () => {
  it('hold the same rows after every step, and the expected ones', async () => {
    const onSqlite = await scenario(sqlOf(lite.db));
    const onPostgres = await scenario(pg);
    expect(onPostgres).toEqual(onSqlite);
    expect(onPostgres).toEqual({
      'topic before any story': { topics: [], onBeat: ['A=0', 'B=0'] },
      'item joins A': { topics: ['A:fosta@100'], onBeat: ['A=1', 'B=0'] },
      'second item and topics': { topics: ['A:dsa@100', 'A:fosta@100', 'A:kosa@100'], onBeat: ['A=1', 'B=0'] },
      'first item moves to B': { topics: ['A:dsa@100', 'B:fosta@200', 'B:kosa@200'], onBeat: ['A=1', 'B=1'] },
      'topic removed': { topics: ['B:fosta@200', 'B:kosa@200'], onBeat: ['A=0', 'B=1'] },
      'story B moved': { topics: ['B:fosta@150', 'B:kosa@150'], onBeat: ['A=0', 'B=1'] },
      'item deleted': { topics: [], onBeat: ['A=0', 'B=0'] },
    });
  });
});
