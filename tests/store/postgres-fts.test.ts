import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSql } from '../../src/store/migrations/migrate.js';
import { postgresSql } from '../../src/store/postgres-driver.js';
import type { Sql } from '../../src/store/sql.js';
import { dropPgSchema, pgSchemaUrl, pgTestSchema } from '../helpers/db.js';

/**
 * Issue 16: PostgreSQL's full-text search column, items.fts (see src/store/migrations/postgres.ts):
 * filled from what FTS5 indexes on SQLite, right after every write, GIN-indexed, queried with
 * websearch_to_tsquery, and the title weighted above the body.
 */
const schema = pgTestSchema();
let sql: Sql;
let feed: number;

beforeAll(async () => {
  sql = await postgresSql(pgSchemaUrl(schema));
  await migrateSql(sql);
  feed = (await sql.value<number>(
    "INSERT INTO feeds (url, interval_ms, created_at) VALUES ('f', 60000, 0) RETURNING id",
  )) as number;
});

afterAll(async () => {
  await sql.close();
  await dropPgSchema(schema);
});

const addItem = async (guid: string, title: string, content: string) =>
  (await sql.value<number>(
    `INSERT INTO items (feed_id, guid, title, content, published_at, first_seen_at)
     VALUES (@feed, @guid, @title, @content, 0, 0) RETURNING id`,
    { feed, guid, title, content },
  )) as number;

/** The matching items' guids, best ranked first (title hits weigh three times body hits). */
const search = (q: string) =>
  sql.column<string>(
    `SELECT guid FROM items, websearch_to_tsquery('english', @q) query WHERE fts @@ query
     ORDER BY ts_rank('{0, 0, 0.333, 1}', fts, query) DESC, id`,
    { q },
  );

describe('items.fts', () => {
  it('finds items by title and body words, stemmed, with web-search syntax', async () => {
    await addItem('kosa', 'Senate advances KOSA', 'The bill covers online safety duties for platforms.');
    await addItem(
      'fosta',
      'Court weighs FOSTA claims',
      'Plaintiffs say the marketplace promoted trafficking listings.',
    );
    expect(await search('kosa')).toEqual(['kosa']);
    expect(await search('platform duty')).toEqual(['kosa']);
    expect(await search('"online safety"')).toEqual(['kosa']);
    expect(await search('"safety online"')).toEqual([]);
    expect(await search('kosa OR trafficked')).toEqual(['kosa', 'fosta']);
    expect(await search('court -fosta')).toEqual([]);
  });

  it('indexes the full text in place of the feed content, again after an update', async () => {
    const id = await addItem('full', 'Regulator opens case', 'A short teaser.');
    expect(await search('teaser')).toEqual(['full']);
    await sql.run('UPDATE items SET full_text = ? WHERE id = ?', ['The complete article on age verification.', id]);
    expect(await search('teaser')).toEqual([]);
    expect(await search('age verification')).toEqual(['full']);
  });

  it('ranks a title hit above a body hit', async () => {
    await addItem('body', 'Lawmakers meet', 'They discussed Backpage at length.');
    await addItem('title', 'Backpage founders sentenced', 'The hearing ended.');
    expect(await search('backpage')).toEqual(['title', 'body']);
  });

  it('is served by its GIN index', async () => {
    const plan = await sql.write(async () => {
      await sql.exec('SET LOCAL enable_seqscan = off');
      return sql.column<string>("EXPLAIN SELECT id FROM items WHERE fts @@ websearch_to_tsquery('english', 'kosa')");
    });
    expect(plan.join('\n')).toContain('items_fts_gin');
  });

  it('takes an article too large for one tsvector, searchable by its beginning', async () => {
    // 60,000 distinct words, 2 MB: whole, their tsvector would pass PostgreSQL's 1 MB limit and refuse the row.
    const words = Array.from({ length: 60_000 }, (_, i) => `w${createHash('md5').update(String(i)).digest('hex')}`);
    await addItem('huge', 'A very long article', words.join(' '));
    expect(await search(words[10] as string)).toEqual(['huge']);
  });
});
