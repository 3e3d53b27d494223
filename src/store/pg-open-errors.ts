import { UserError } from '../errors.js';
import { type PgTarget, WHERE_SET } from './pg-url.js';

/**
 * Why the PostgreSQL store could not be opened, as a person can act on it: which store (its URL
 * without the password), what is wrong, and what to do. The password never appears: not in the URL
 * shown, and not in what pg or the server said, which is scrubbed of it in case either repeats it.
 */
export function describePgOpenError(target: PgTarget, err: unknown): UserError {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const said = scrub(target, typeof e.message === 'string' ? e.message : String(err));
  const store = `the PostgreSQL store ${target.location}`;
  const at = `${target.host}:${target.port}`;
  const user = target.user === undefined ? 'the default user' : `user "${target.user}"`;
  const fix = FIXES[code] ?? (/timeout|timed out/i.test(said) ? FIXES.ETIMEDOUT : undefined);
  if (fix) return fix({ store, at, user, said, target });
  if (/password/i.test(said)) return authFailed({ store, at, user, said, target });
  return new UserError(
    'database_unusable',
    `cannot open ${store}: ${said}${code ? ` (${code})` : ''}`,
    `${WHERE_SET}: the host, port, database, user and password (not printed here), and that PostgreSQL answers there (pg_isready -h ${target.host} -p ${target.port}).`,
  );
}

/** What a failed setup step (creating the schema, migrating) said, without the password. */
export function scrub(target: PgTarget, text: string): string {
  return target.password ? text.split(target.password).join('***') : text;
}

interface Facts {
  store: string;
  at: string;
  user: string;
  said: string;
  target: PgTarget;
}

const unreachable =
  (what: (f: Facts) => string) =>
  (f: Facts): UserError =>
    new UserError(
      'database_unreachable',
      `cannot open ${f.store}: ${what(f)}`,
      `${WHERE_SET}: the host and port. If they are right, start PostgreSQL there, or let it accept TCP connections (listen_addresses); pg_isready -h ${f.target.host} -p ${f.target.port} tells when it answers.`,
    );

function authFailed(f: Facts): UserError {
  return new UserError(
    'database_auth_failed',
    `cannot open ${f.store}: PostgreSQL at ${f.at} refused ${f.user} (${f.said})`,
    `${WHERE_SET}: the user and the password in the URL (the password is not printed). The server's pg_hba.conf must also let this user connect from this host to this database.`,
  );
}

const FIXES: Record<string, (f: Facts) => UserError> = {
  ECONNREFUSED: unreachable((f) => `nothing answers at ${f.at} (connection refused)`),
  ECONNRESET: unreachable((f) => `${f.at} closed the connection at once (is it a PostgreSQL server?)`),
  ETIMEDOUT: unreachable((f) => `${f.at} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`),
  EHOSTUNREACH: unreachable((f) => `there is no route to ${f.target.host}`),
  ENOTFOUND: unreachable((f) => `the host name ${f.target.host} is not known (DNS found no address for it)`),
  EAI_AGAIN: unreachable((f) => `the host name ${f.target.host} could not be looked up now (DNS did not answer)`),
  '3D000': (f) =>
    new UserError(
      'database_missing',
      `cannot open ${f.store}: the database "${f.target.database ?? '(default)'}" does not exist at ${f.at}`,
      `${WHERE_SET} for a mistyped name (the part after the last /). If the name is right, create it (createdb -h ${f.target.host} -p ${f.target.port} ${f.target.database ?? 'NAME'}); watchdesk creates its tables itself.`,
    ),
  '28P01': authFailed,
  '28000': authFailed,
  '57P03': (f) =>
    new UserError(
      'database_starting',
      `cannot open ${f.store}: PostgreSQL at ${f.at} is starting up or shutting down (${f.said})`,
      'Wait until it accepts connections (pg_isready), then run the command again.',
    ),
  '53300': (f) =>
    new UserError(
      'database_busy',
      `cannot open ${f.store}: PostgreSQL at ${f.at} has no connection slot left (${f.said})`,
      "Close idle connections, or raise the server's max_connections; each watchdesk process keeps a pool of up to 10.",
    ),
  '42501': (f) =>
    new UserError(
      'database_not_writable',
      `cannot set up ${f.store}: ${f.user} may not create what the store needs (${f.said})`,
      `Grant ${f.user} CREATE on the database (for ?schema=) or on the schema, or let the owner create the schema and grant it to ${f.user}.`,
    ),
};

/** How long opening waits for the server to accept a connection. */
export const CONNECT_TIMEOUT_MS = 10_000;
