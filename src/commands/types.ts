/**
 * A platform-neutral /digest command: `{ name, description, options, permission, run(deps, inv, input) → Reply }`.
 * Chat adapters turn a platform event into an Invocation and raw option values, the registry validates them
 * into Input, and the Reply goes back through render/.
 */
import type { Config } from '../config/load.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { AddedFeed, AddFeedRequest } from '../pipeline/add-feed.js';
import type { Sql } from '../store/sql.js';
import type { Reply } from './reply.js';

export type OptionType = 'string' | 'integer';

/** What autocomplete offers for an option. */
export type Completion = 'topic' | 'topic-or-all' | 'story';

export interface OptionDef {
  name: string;
  description: string;
  type: OptionType;
  required?: boolean;
  /** Integers: the accepted range, inclusive. */
  min?: number;
  max?: number;
  /** Strings: the longest value accepted. */
  maxLength?: number;
  /** The only values accepted (shown as a menu on Discord). */
  choices?: readonly string[];
  autocomplete?: Completion;
  /**
   * Slack's command text: this option takes every word not claimed by a `name:value` option, with its quotes
   * kept, so `search "section 230" since:7d` keeps the phrase a phrase. At most one per command.
   */
  rest?: boolean;
  /** Shown in usage lines, e.g. "7d". */
  example?: string;
  /**
   * Slack's command text: how many of the next free words this value takes (`daily 09:00` is one schedule).
   * One when absent.
   */
  span?: (words: string[]) => number;
}

/** Validated option values by name; absent options are undefined. */
export type Input = Record<string, string | number | undefined>;

/** Raw option values as a platform delivered them (Discord typed values, Slack text). */
export type RawInput = Record<string, string | number | boolean | undefined | null>;

export interface Invocation {
  platform: 'discord' | 'slack';
  /** Discord guild id or Slack team id. */
  workspace: string;
  channel: string;
  /** Discord thread id or Slack thread_ts; '' when the command came from the channel itself. */
  thread: string;
  user: { id: string; admin: boolean };
  /** Who may run admin commands here, for a refusal: "the Manage Channels permission, or one of the roles: Editors". */
  adminRule: string;
}

/** Where a "Next page" button resumes: the same command and input, further down the same list. */
export interface Page {
  offset: number;
  /** The newest story id the first page could see, so later pages do not shift when new stories arrive. */
  anchor: number;
}

export interface CommandDeps {
  db: Sql;
  config: Pick<Config, 'topics' | 'bot' | 'digest'>;
  now: () => number;
  log: Logger;
  /** Called after a command created, changed or removed a subscription, so the scheduler picks it up now. */
  subscriptionsChanged?: () => void;
  /** Command latency for /metrics (the running bot's registry). */
  metrics?: Metrics;
  /** Fetches, checks and saves a feed for /digest feed add (app/ wires it); without it the command says it is not available. */
  feedAdmin?: { add(req: AddFeedRequest): Promise<AddedFeed> };
}

export interface CommandDef {
  name: string;
  description: string;
  options: OptionDef[];
  /** `admin`: subscribe, unsubscribe and feed management; everything else is for everyone. */
  permission: 'everyone' | 'admin';
  /** True when this input is known to take a while: the adapter defers before running. */
  slow?: (input: Input) => boolean;
  /** Shown only to the person who asked, whatever the outcome (errors always are). */
  ephemeral: boolean;
  run(deps: CommandDeps, inv: Invocation, input: Input, page?: Page): Promise<Reply> | Reply;
}
