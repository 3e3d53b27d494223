import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { postgresSql } from '../../src/store/postgres-driver.js';
import { dropPgSchema, PG_TEST_URL, pgSchemaUrl, pgTestSchema } from '../helpers/db.js';

/** Issue 16: opening a PostgreSQL store: its schema, its printed location, and why it could not be opened. */
const made: string[] = [];
afterAll(async () => {
  for (const s of made) await dropPgSchema(s);
});

function schemaFor(): string {
  const s = pgTestSchema();
  made.push(s);
  return s;
}

async function openError(url: string): Promise<UserError> {
  const err = await postgresSql(url).then(
    async (sql) => {
      await sql.close();
      throw new Error(`opened ${url}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

const SECRET = 'Sup3r-s3cret';
const DRIVER = fileURLToPath(new URL('../../src/store/postgres-driver.ts', import.meta.url));

describe('opening a PostgreSQL store', () => {
  it("creates the URL's schema and keeps the store's tables in it", async () => {
    const a = schemaFor();
    const b = schemaFor();
    const sqlA = await postgresSql(pgSchemaUrl(a));
    const sqlB = await postgresSql(pgSchemaUrl(b));
    try {
      await sqlA.exec('CREATE TABLE kv (key text PRIMARY KEY, value text NOT NULL)');
      await sqlA.run("INSERT INTO kv VALUES ('k', 'in a')");
      expect(await sqlA.value('SELECT current_schema()')).toBe(a);
      const where = await sqlB.column("SELECT table_schema FROM information_schema.tables WHERE table_name = 'kv'");
      expect(where).toContain(a);
      expect(where).not.toContain('public');
      // The same name in the other schema is another table.
      await sqlB.exec('CREATE TABLE kv (key text PRIMARY KEY, value text NOT NULL)');
      expect(await sqlB.value('SELECT count(*) FROM kv')).toBe(0);
    } finally {
      await sqlA.close();
      await sqlB.close();
    }
    await dropPgSchema(a);
    const check = await postgresSql(PG_TEST_URL);
    try {
      expect(await check.value('SELECT count(*) FROM pg_namespace WHERE nspname = ?', [a])).toBe(0);
      expect(await check.value('SELECT count(*) FROM pg_namespace WHERE nspname = ?', [b])).toBe(1);
    } finally {
      await check.close();
    }
  });

  it("does not make one schema's writers wait for another's", async () => {
    const sqlA = await postgresSql(pgSchemaUrl(schemaFor()));
    const sqlB = await postgresSql(pgSchemaUrl(schemaFor()));
    try {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let holding = () => {};
      const inside = new Promise<void>((resolve) => {
        holding = resolve;
      });
      const writeA = sqlA.write(async () => {
        holding();
        await held;
      });
      await inside;
      // B must finish while A still holds its lock (5 s at most, then A is released anyway, so nothing hangs).
      let finished = false;
      const writeB = sqlB
        .write(async () => sqlB.value('SELECT 1'))
        .then((v) => {
          finished = true;
          return v;
        });
      let finishedWhileAHeld = false;
      try {
        for (let i = 0; i < 500 && !finished; i++) await new Promise((resolve) => setTimeout(resolve, 10));
        finishedWhileAHeld = finished;
      } finally {
        release();
      }
      await writeA;
      expect(await writeB).toBe(1);
      expect(finishedWhileAHeld).toBe(true);
    } finally {
      await sqlA.close();
      await sqlB.close();
    }
  });

  it('shows its location without the password', async () => {
    const url = new URL(pgSchemaUrl(schemaFor()));
    url.password = SECRET;
    // The test server trusts local connections, so any password is accepted.
    const sql = await postgresSql(url.toString());
    try {
      expect(sql.location).not.toContain(SECRET);
      expect(sql.location).toBe(`postgres://postgres:***@127.0.0.1:5432/test?schema=${url.searchParams.get('schema')}`);
      await sql.close();
      await sql.close();
    } finally {
      await sql.close();
    }
  });

  it('connects a URL without a user as the login name, as libpq does, even where $USER is unset (CI)', () => {
    const url = new URL(pgSchemaUrl(schemaFor()));
    url.username = '';
    // A process of its own: pg reads $USER once, when it is first imported.
    const { USER: _user, PGUSER: _pgUser, ...env } = process.env;
    const script = `const { postgresSql } = await import(${JSON.stringify(DRIVER)});
      const sql = await postgresSql(${JSON.stringify(url.toString())});
      process.stdout.write(String(await sql.value('SELECT current_user')));
      await sql.close();`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env,
      encoding: 'utf8',
    });
    expect(out).toBe(userInfo().username);
  });

  it('says nothing answers at a wrong port, without the password', async () => {
    const err = await openError(`postgres://postgres:${SECRET}@127.0.0.1:1/test`);
    expect(err.code).toBe('database_unreachable');
    expect(err.message).toBe(
      'cannot open the PostgreSQL store postgres://postgres:***@127.0.0.1:1/test: nothing answers at 127.0.0.1:1 (connection refused)',
    );
    expect(err.hint).toContain('pg_isready -h 127.0.0.1 -p 1');
    expect(`${err.message} ${err.hint} ${err.stack}`).not.toContain(SECRET);
  });

  it('names a database that does not exist and how to create it', async () => {
    const err = await openError(`postgres://postgres:${SECRET}@127.0.0.1:5432/wd_no_such_db`);
    expect(err.code).toBe('database_missing');
    expect(err.message).toContain('the database "wd_no_such_db" does not exist at 127.0.0.1:5432');
    expect(err.hint).toContain('createdb -h 127.0.0.1 -p 5432 wd_no_such_db');
    expect(`${err.message} ${err.hint}`).not.toContain(SECRET);
  });

  it('refuses a user the server does not know, as a login problem', async () => {
    const err = await openError(`postgres://wd_no_such_user:${SECRET}@127.0.0.1:5432/test`);
    expect(err.code).toBe('database_auth_failed');
    expect(err.message).toContain('refused user "wd_no_such_user"');
    expect(`${err.message} ${err.hint}`).not.toContain(SECRET);
  });

  it('refuses a schema name that is not a plain identifier, before connecting', async () => {
    const err = await openError(`${PG_TEST_URL}?schema=Robert');DROP`);
    expect(err.code).toBe('database_schema_invalid');
  });
});
