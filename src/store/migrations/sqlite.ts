import type { Migration } from './migrate.js';

/**
 * SQLite's versioned migrations, applied in order at start inside one transaction each. Append only:
 * never edit a migration that has shipped; add a new one, here and in postgres.ts (which began at
 * this list's version 10 as its own version 1).
 *
 * Over 300 lines because it is the append-only list of every migration that has shipped.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'feeds, items, topics, stories, subscriptions, outbox',
    sql: `
CREATE TABLE feeds (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  -- a permanent redirect moves the feed; polls go here, config still names url
  fetch_url TEXT,
  name TEXT,
  title TEXT,
  interval_ms INTEGER NOT NULL,
  full_text TEXT NOT NULL DEFAULT 'auto' CHECK (full_text IN ('auto','always','never')),
  etag TEXT,
  last_modified TEXT,
  -- lower bound on the interval from Cache-Control max-age or RSS <ttl>
  min_interval_ms INTEGER,
  next_poll_at INTEGER NOT NULL DEFAULT 0,
  last_polled_at INTEGER,
  last_success_at INTEGER,
  polls INTEGER NOT NULL DEFAULT 0,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_error_kind TEXT,
  last_error_message TEXT,
  state TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok','failing','disabled')),
  in_config INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);

CREATE TABLE stories (
  id INTEGER PRIMARY KEY,
  representative_item_id INTEGER,
  title TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  item_count INTEGER NOT NULL DEFAULT 0,
  -- the id of the first announced item that joined; NULL while only first-poll items belong.
  -- Digest cursors compare against it, so a story counts as new once, when it is first announceable.
  announce_seq INTEGER,
  -- MinHash signature of the representative text, for incremental clustering
  signature BLOB
);
CREATE INDEX stories_announce ON stories(announce_seq) WHERE announce_seq IS NOT NULL;
CREATE INDEX stories_first_seen ON stories(first_seen_at);

CREATE TABLE story_buckets (
  band INTEGER NOT NULL,
  hash INTEGER NOT NULL,
  story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  first_seen_at INTEGER NOT NULL,
  PRIMARY KEY (band, hash, story_id)
) WITHOUT ROWID;

CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  guid TEXT NOT NULL,
  url TEXT,
  title TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  published_estimated INTEGER NOT NULL DEFAULT 0,
  author TEXT,
  categories TEXT NOT NULL DEFAULT '[]',
  enclosures TEXT NOT NULL DEFAULT '[]',
  content TEXT NOT NULL DEFAULT '',
  full_text TEXT,
  full_text_status TEXT,
  summary TEXT,
  summary_method TEXT,
  summary_note TEXT,
  story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,
  -- 0 for items stored on a feed's first poll: searchable, never announced
  announced INTEGER NOT NULL DEFAULT 1,
  first_seen_at INTEGER NOT NULL,
  UNIQUE (feed_id, guid)
);
CREATE INDEX items_url ON items(url);
CREATE INDEX items_story ON items(story_id);
CREATE INDEX items_first_seen ON items(first_seen_at);

CREATE TABLE item_topics (
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  topic TEXT NOT NULL,
  score REAL NOT NULL,
  explanation TEXT NOT NULL,
  PRIMARY KEY (item_id, topic)
) WITHOUT ROWID;
CREATE INDEX item_topics_topic ON item_topics(topic, score);

CREATE VIRTUAL TABLE items_fts USING fts5(
  title, content, content='items', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
  INSERT INTO items_fts(rowid, title, content) VALUES (new.id, new.title, coalesce(new.full_text, new.content));
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
  INSERT INTO items_fts(items_fts, rowid, title, content) VALUES ('delete', old.id, old.title, coalesce(old.full_text, old.content));
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF title, content, full_text ON items BEGIN
  INSERT INTO items_fts(items_fts, rowid, title, content) VALUES ('delete', old.id, old.title, coalesce(old.full_text, old.content));
  INSERT INTO items_fts(rowid, title, content) VALUES (new.id, new.title, coalesce(new.full_text, new.content));
END;

CREATE TABLE subscriptions (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('config','command')),
  platform TEXT NOT NULL,
  workspace TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  thread TEXT NOT NULL DEFAULT '',
  topics TEXT NOT NULL,
  schedule TEXT NOT NULL,
  timezone TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('digest','instant')),
  max_items INTEGER NOT NULL,
  min_score REAL NOT NULL,
  -- announce_seq of the newest story covered by the last confirmed digest
  cursor INTEGER NOT NULL DEFAULT 0,
  last_digest_at INTEGER,
  last_run_at INTEGER,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  UNIQUE (platform, workspace, channel, thread)
);

CREATE TABLE digests (
  id INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  cursor_from INTEGER NOT NULL,
  cursor_to INTEGER NOT NULL,
  story_count INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','dead')),
  delivered_at INTEGER
);
CREATE INDEX digests_status ON digests(status);

CREATE TABLE digest_parts (
  id INTEGER PRIMARY KEY,
  digest_id INTEGER NOT NULL REFERENCES digests(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  platform TEXT NOT NULL,
  payload TEXT NOT NULL,
  nonce TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  platform_message_id TEXT,
  last_error TEXT,
  sent_at INTEGER,
  UNIQUE (digest_id, seq)
);
CREATE INDEX digest_parts_pending ON digest_parts(status, next_attempt_at);

CREATE TABLE kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'stories: representative lead for verifying candidates',
    // The representative's title and lead are what a new item is compared against; keeping the
    // lead here avoids re-deriving it from items.content (which full-text extraction may change).
    sql: `ALTER TABLE stories ADD COLUMN lead TEXT NOT NULL DEFAULT '';`,
  },
  {
    version: 3,
    name: 'items: the outlet an aggregator credits',
    sql: `ALTER TABLE items ADD COLUMN source TEXT;`,
  },
  {
    version: 4,
    name: 'enrichment claims: who is enriching an item, and when to try a failed one again',
    // An item is finished when it has a story (the last step). Until then a claim row says which
    // process is working on it, so that another process neither doubles the work nor leaves the
    // item behind when that process failed or died. Items left unfinished before this migration
    // have no claim row: the next poll pass takes them up.
    sql: `
CREATE TABLE enrichment_claims (
  item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
  -- the process enriching the item now; NULL after a failed attempt
  owner_host TEXT,
  owner_pid INTEGER,
  owner_started_at INTEGER,
  claimed_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);`,
  },
  {
    version: 5,
    name: 'chat commands: paused subscriptions, page state for "Next page"',
    // A subscription whose channel is gone or unreachable (Discord 403/404, Slack archived or not_in_channel)
    // stops composing until a person resumes it; the reason is shown wherever subscriptions are listed.
    // command_pages holds what a "Next page" button resumes: a Discord custom_id has room for 100 characters
    // only, so the button carries this row's token and the row carries the command and where the list was.
    sql: `
ALTER TABLE subscriptions ADD COLUMN paused_reason TEXT;
ALTER TABLE subscriptions ADD COLUMN paused_at INTEGER;
CREATE TABLE command_pages (
  token TEXT PRIMARY KEY,
  command TEXT NOT NULL,
  input TEXT NOT NULL,
  offset INTEGER NOT NULL,
  anchor INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX command_pages_created ON command_pages(created_at);
`,
  },
  {
    version: 6,
    name: 'announce order from one counter taken in the write transaction',
    // announce_seq used to be the announcing item's id, set in a transaction of its own, so a
    // story whose lower id committed late slipped behind a cursor that had already passed it.
    // The counter is taken inside the transaction that announces the story: SQLite serializes
    // writers, so sequence order is commit order. It continues from the ids used so far.
    // digests_subscription serves the scheduler's check for instant subscriptions behind.
    sql: `
CREATE TABLE announce_counter (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
);
INSERT INTO announce_counter (id, seq) SELECT 1, coalesce(max(announce_seq), 0) FROM stories;
CREATE INDEX digests_subscription ON digests(subscription_id, id);`,
  },
  {
    version: 7,
    name: 'instance lease: one running bot per database',
    // The bot (watchdesk start) holds this row while it runs and renews its heartbeat; a second
    // bot on the same file is refused. A crash leaves the row behind, so the next start judges
    // the holder: gone from this host (its pid is dead), or silent for too long, and it takes over.
    sql: `
CREATE TABLE instance_lease (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  acquired_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);`,
  },
  {
    version: 8,
    name: 'run-time feeds beside the config file; what retention pruned',
    // A feed has two independent sources: in_config (the config file lists it) and added_by (someone added it
    // at run time). It is watched while either holds, so removing it from one source leaves the other. A feed
    // added from chat is untrusted: its polls and article pages go through the SSRF guard. category is the OPML
    // folders it came from, outermost first, as a JSON array (["News", "Policy"]), kept so an export gives them back.
    sql: `
ALTER TABLE feeds ADD COLUMN added_by TEXT CHECK (added_by IN ('cli','opml','chat'));
ALTER TABLE feeds ADD COLUMN added_at INTEGER;
ALTER TABLE feeds ADD COLUMN added_note TEXT;
ALTER TABLE feeds ADD COLUMN category TEXT;
-- retention deletes old items; their identity stays so a feed still listing one does not bring it back as new
CREATE TABLE pruned_items (
  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
  guid TEXT NOT NULL,
  url TEXT,
  pruned_at INTEGER NOT NULL,
  PRIMARY KEY (feed_id, guid)
) WITHOUT ROWID;
CREATE INDEX pruned_items_url ON pruned_items(url) WHERE url IS NOT NULL;`,
  },
  {
    version: 9,
    name: 'story topics: which stories are on the beat, kept by triggers',
    // /digest latest and digest composition ask "which stories have an item matching this topic
    // (or any topic), newest first": answered from items and item_topics that meant reading every
    // story of the store (seconds at a million items). story_topics holds one row per story and
    // topic and stories.on_beat says whether a story has at least one topic; triggers keep both in step with
    // item_topics and items.story_id, so every writer (ingest, re-classification, a second process)
    // keeps them right without knowing they exist. first_seen_at is the story's, for newest-first
    // lists by topic. (Version 8 is taken by run-time feeds.)
    sql: `
CREATE TABLE story_topics (
  story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  topic TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  PRIMARY KEY (story_id, topic)
) WITHOUT ROWID;
CREATE INDEX story_topics_recent ON story_topics(topic, first_seen_at, story_id);
ALTER TABLE stories ADD COLUMN on_beat INTEGER NOT NULL DEFAULT 0;
CREATE INDEX stories_on_beat_recent ON stories(first_seen_at, id) WHERE on_beat = 1;

INSERT OR IGNORE INTO story_topics (story_id, topic, first_seen_at)
  SELECT i.story_id, t.topic, s.first_seen_at FROM item_topics t JOIN items i ON i.id = t.item_id JOIN stories s ON s.id = i.story_id;
UPDATE stories SET on_beat = 1 WHERE id IN (SELECT story_id FROM story_topics);

CREATE TRIGGER story_topics_item_topic_added AFTER INSERT ON item_topics BEGIN
  INSERT OR IGNORE INTO story_topics (story_id, topic, first_seen_at)
    SELECT s.id, new.topic, s.first_seen_at FROM items i JOIN stories s ON s.id = i.story_id WHERE i.id = new.item_id;
  UPDATE stories SET on_beat = 1 WHERE on_beat = 0 AND id = (SELECT story_id FROM items WHERE id = new.item_id);
END;
CREATE TRIGGER story_topics_item_topic_removed AFTER DELETE ON item_topics BEGIN
  DELETE FROM story_topics WHERE topic = old.topic
    AND story_id = (SELECT story_id FROM items WHERE id = old.item_id)
    AND NOT EXISTS (SELECT 1 FROM items i JOIN item_topics t ON t.item_id = i.id
                    WHERE i.story_id = story_topics.story_id AND t.topic = old.topic);
  UPDATE stories SET on_beat = EXISTS (SELECT 1 FROM story_topics st WHERE st.story_id = stories.id)
    WHERE id = (SELECT story_id FROM items WHERE id = old.item_id);
END;
CREATE TRIGGER story_topics_item_joined AFTER UPDATE OF story_id ON items BEGIN
  INSERT OR IGNORE INTO story_topics (story_id, topic, first_seen_at)
    SELECT s.id, t.topic, s.first_seen_at FROM item_topics t JOIN stories s ON s.id = new.story_id WHERE t.item_id = new.id;
  UPDATE stories SET on_beat = 1 WHERE on_beat = 0 AND id = new.story_id
    AND EXISTS (SELECT 1 FROM item_topics WHERE item_id = new.id);
  DELETE FROM story_topics WHERE story_id = old.story_id AND old.story_id IS NOT new.story_id
    AND NOT EXISTS (SELECT 1 FROM items i JOIN item_topics t ON t.item_id = i.id
                    WHERE i.story_id = old.story_id AND t.topic = story_topics.topic);
  UPDATE stories SET on_beat = EXISTS (SELECT 1 FROM story_topics st WHERE st.story_id = stories.id)
    WHERE id = old.story_id AND old.story_id IS NOT new.story_id;
END;
CREATE TRIGGER story_topics_item_removed AFTER DELETE ON items WHEN old.story_id IS NOT NULL BEGIN
  DELETE FROM story_topics WHERE story_id = old.story_id
    AND NOT EXISTS (SELECT 1 FROM items i JOIN item_topics t ON t.item_id = i.id
                    WHERE i.story_id = old.story_id AND t.topic = story_topics.topic);
  UPDATE stories SET on_beat = EXISTS (SELECT 1 FROM story_topics st WHERE st.story_id = stories.id)
    WHERE id = old.story_id;
END;
CREATE TRIGGER story_topics_story_moved AFTER UPDATE OF first_seen_at ON stories BEGIN
  UPDATE story_topics SET first_seen_at = new.first_seen_at WHERE story_id = new.id;
END;`,
  },
  {
    version: 10,
    name: 'items by publication time, for search since',
    // `search … since 7d` filtered on published_at only after FTS5 had read every item matching the
    // query: a phrase in 12,763 items of a million read them all to keep the 491 of the window
    // (p99 37.5 ms, bench/README.md). With this index the search finds the lowest item id inside the
    // window and hands it to FTS5 as a rowid bound (store/search.ts).
    sql: `CREATE INDEX items_published ON items(published_at);`,
  },
];
