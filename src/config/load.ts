import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { isDbUrl, looksLikeUrl, redactDbUrl } from '../db-url.js';
import { ConfigError, errorMessage, UserError } from '../errors.js';
import { LOG_LEVELS, parseLogLevel } from '../log-level.js';
import { type EnvSettings, readEnv, type Secrets } from './env.js';
import { describeIssue } from './issues.js';
import { configSchema, type FileConfig } from './schema.js';
import { semanticIssues } from './semantic.js';
import { readConfigText, yamlIssues } from './yaml-text.js';

export interface Config extends FileConfig {
  /** The YAML file this config came from, for error messages. */
  file: string;
  /** Where the SQLite database lives, absolute (WATCHDESK_DB wins over store.path). Unused when dbUrl is set. */
  dbPath: string;
  /**
   * The PostgreSQL store, when WATCHDESK_DB or store.url names one (`postgres://…`); it may hold a
   * password, so print `storeLocation(config)` instead.
   */
  dbUrl?: string;
  /** Whether a missing folder for dbPath may be created: only for the default path, or data/ in the checkout. */
  createDbFolder: boolean;
  secrets: Secrets;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** config/default.yaml, found from both src/config (tsx, vitest) and dist/config (built). */
export const DEFAULT_CONFIG_FILE = path.resolve(here, '../../config/default.yaml');
export const PROJECT_ROOT = path.resolve(here, '../..');
/** Where the database lives unless WATCHDESK_DB or store.path says otherwise. */
export const DEFAULT_DB_FILE = path.join(PROJECT_ROOT, 'data', 'watchdesk.db');

export interface LoadOptions {
  /** --config; beats WATCHDESK_CONFIG, which beats config/default.yaml. */
  file?: string;
  env?: EnvSettings;
}

export function resolveConfigFile(opts: LoadOptions = {}): string {
  const env = opts.env ?? readEnv();
  return path.resolve(opts.file ?? env.configFile ?? DEFAULT_CONFIG_FILE);
}

/** Loads, validates and returns the one config object; throws ConfigError naming file, path and problem. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? readEnv();
  const file = resolveConfigFile({ ...opts, env });
  return parseConfigText(readConfigText(file), file, env);
}

export function parseConfigText(text: string, file: string, env: EnvSettings = { secrets: {} }): Config {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) throw new ConfigError(file, yamlIssues(doc.errors, text));
  let raw: unknown;
  try {
    raw = doc.toJS() ?? {};
  } catch (err) {
    // an alias to an anchor that is never defined (`url: *a`) parses, then fails here
    throw new ConfigError(file, [{ path: '', expected: 'valid YAML', found: errorMessage(err).split('\n')[0] ?? '' }]);
  }
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  // The schema's issues and the checks it cannot express, together: every problem in one report.
  const issues = [...(parsed.success ? [] : parsed.error.issues.map(describeIssue)), ...semanticIssues(raw)];
  if (!parsed.success || issues.length > 0) throw new ConfigError(file, issues);
  const config = parsed.data;
  // Like any path in an environment variable, WATCHDESK_DB is read from the working directory; a
  // relative store.path from the config file's folder, as tsconfig and compose files read theirs, so
  // every command finds the same database wherever it is run from.
  // A URL is told apart before any path resolution: resolved, postgres://… would become a folder name.
  const dbUrl = envDbUrl(env) ?? (env.dbPath === undefined ? config.store.url : undefined);
  const envPath = env.dbPath !== undefined && !isDbUrl(env.dbPath) ? env.dbPath : undefined;
  const dbPath = envPath ? path.resolve(envPath) : path.resolve(path.dirname(file), config.store.path);
  const createDbFolder =
    env.dbPath === undefined &&
    dbUrl === undefined &&
    (!storePathWritten(raw) || path.dirname(dbPath) === path.dirname(DEFAULT_DB_FILE));
  const log = { level: envLogLevel(env) ?? config.log.level };
  const http = { host: env.httpHost ?? config.http.host, port: envHttpPort(env) ?? config.http.port };
  return {
    ...config,
    log,
    http,
    file,
    dbPath,
    ...(dbUrl ? { dbUrl } : {}),
    createDbFolder,
    secrets: env.secrets,
  };
}

/** Where the store is, safe to print: the SQLite file, or the PostgreSQL URL without its password. */
export function storeLocation(config: Pick<Config, 'dbPath' | 'dbUrl'>): string {
  return config.dbUrl ? redactDbUrl(config.dbUrl) : config.dbPath;
}

/** Whether the file sets store.path itself (else it is the default, data/watchdesk.db). */
function storePathWritten(raw: unknown): boolean {
  const store = (raw as { store?: unknown }).store;
  return typeof store === 'object' && store !== null && 'path' in store;
}

function envHttpPort(env: EnvSettings): number | undefined {
  if (env.httpPort === undefined) return undefined;
  const port = Number(env.httpPort);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UserError(
      'bad_http_port',
      `WATCHDESK_HTTP_PORT is ${JSON.stringify(env.httpPort)}, which is not a port`,
      'Set it to a whole number from 0 to 65535 (0 picks a free port), or unset it.',
    );
  }
  return port;
}

/** WATCHDESK_DB as a PostgreSQL URL; a URL of any other kind is refused rather than taken for a file name. */
function envDbUrl(env: EnvSettings): string | undefined {
  if (env.dbPath === undefined) return undefined;
  if (isDbUrl(env.dbPath)) {
    if (!URL.canParse(env.dbPath)) {
      throw new UserError(
        'bad_db_url',
        `WATCHDESK_DB is not a URL that can be read: ${redactDbUrl(env.dbPath)}`,
        'Write it as postgres://user:password@host:5432/database (percent-encode special characters in the password), or set it to a SQLite file path.',
      );
    }
    return env.dbPath;
  }
  if (looksLikeUrl(env.dbPath)) {
    throw new UserError(
      'bad_db_url',
      `WATCHDESK_DB is ${redactDbUrl(env.dbPath)}, a kind of database watchdesk cannot use`,
      'Set it to a postgres://user:password@host:5432/database URL, or to a SQLite file path (the default is data/watchdesk.db).',
    );
  }
  return undefined;
}

/** WATCHDESK_LOG_LEVEL beats log.level in the file (and --log-level beats both, in the CLI). */
function envLogLevel(env: EnvSettings) {
  if (env.logLevel === undefined) return undefined;
  const level = parseLogLevel(env.logLevel);
  if (!level) {
    throw new UserError(
      'bad_log_level',
      `WATCHDESK_LOG_LEVEL is ${JSON.stringify(env.logLevel)}, which is not a log level`,
      `Set it to one of ${LOG_LEVELS.join(', ')}, or unset it.`,
    );
  }
  return level;
}
