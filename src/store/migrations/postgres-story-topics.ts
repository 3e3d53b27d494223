/**
 * SQLite's migration 9 triggers as PostgreSQL trigger functions, statement for statement: they keep
 * story_topics (one row per story and topic) and stories.on_beat in step with item_topics and
 * items.story_id, so every writer keeps them right without knowing they exist. Differences are of
 * syntax only: INSERT OR IGNORE is ON CONFLICT DO NOTHING, `a IS NOT b` is IS DISTINCT FROM, and
 * EXISTS (a boolean here) is cast to the 0/1 integer on_beat holds. Part of PostgreSQL's version 1.
 */
export const STORY_TOPICS_TRIGGERS = `
CREATE FUNCTION story_topics_item_topic_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO story_topics (story_id, topic, first_seen_at)
    SELECT s.id, NEW.topic, s.first_seen_at FROM items i JOIN stories s ON s.id = i.story_id WHERE i.id = NEW.item_id
    ON CONFLICT DO NOTHING;
  UPDATE stories SET on_beat = 1 WHERE on_beat = 0 AND id = (SELECT story_id FROM items WHERE id = NEW.item_id);
  RETURN NULL;
END $$;
CREATE TRIGGER story_topics_item_topic_added AFTER INSERT ON item_topics
  FOR EACH ROW EXECUTE FUNCTION story_topics_item_topic_added();

CREATE FUNCTION story_topics_item_topic_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM story_topics WHERE topic = OLD.topic
    AND story_id = (SELECT story_id FROM items WHERE id = OLD.item_id)
    AND NOT EXISTS (SELECT 1 FROM items i JOIN item_topics t ON t.item_id = i.id
                    WHERE i.story_id = story_topics.story_id AND t.topic = OLD.topic);
  UPDATE stories SET on_beat = (EXISTS (SELECT 1 FROM story_topics st WHERE st.story_id = stories.id))::integer
    WHERE id = (SELECT story_id FROM items WHERE id = OLD.item_id);
  RETURN NULL;
END $$;
CREATE TRIGGER story_topics_item_topic_removed AFTER DELETE ON item_topics
  FOR EACH ROW EXECUTE FUNCTION story_topics_item_topic_removed();

CREATE FUNCTION story_topics_item_joined() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO story_topics (story_id, topic, first_seen_at)
    SELECT s.id, t.topic, s.first_seen_at FROM item_topics t JOIN stories s ON s.id = NEW.story_id WHERE t.item_id = NEW.id
    ON CONFLICT DO NOTHING;
  UPDATE stories SET on_beat = 1 WHERE on_beat = 0 AND id = NEW.story_id
    AND EXISTS (SELECT 1 FROM item_topics WHERE item_id = NEW.id);
  IF OLD.story_id IS DISTINCT FROM NEW.story_id THEN
    DELETE FROM story_topics WHERE story_id = OLD.story_id
      AND NOT EXISTS (SELECT 1 FROM items i JOIN item_topics t ON t.item_id = i.id
                      WHERE i.story_id = OLD.story_id AND t.topic = story_topics.topic);
    UPDATE stories SET on_beat = (EXISTS (SELECT 1 FROM story_topics st WHERE st.story_id = stories.id))::integer
      WHERE id = OLD.story_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER story_topics_item_joined AFTER UPDATE OF story_id ON items
  FOR EACH ROW EXECUTE FUNCTION story_topics_item_joined();

CREATE FUNCTION story_topics_item_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM story_topics WHERE story_id = OLD.story_id
    AND NOT EXISTS (SELECT 1 FROM items i JOIN item_topics t ON t.item_id = i.id
                    WHERE i.story_id = OLD.story_id AND t.topic = story_topics.topic);
  UPDATE stories SET on_beat = (EXISTS (SELECT 1 FROM story_topics st WHERE st.story_id = stories.id))::integer
    WHERE id = OLD.story_id;
  RETURN NULL;
END $$;
CREATE TRIGGER story_topics_item_removed AFTER DELETE ON items
  FOR EACH ROW WHEN (OLD.story_id IS NOT NULL) EXECUTE FUNCTION story_topics_item_removed();

CREATE FUNCTION story_topics_story_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE story_topics SET first_seen_at = NEW.first_seen_at WHERE story_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER story_topics_story_moved AFTER UPDATE OF first_seen_at ON stories
  FOR EACH ROW EXECUTE FUNCTION story_topics_story_moved();
`;
