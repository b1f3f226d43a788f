-- Deploy buildtracker:legacy_cycles to pg
-- requires: legacy_import
-- requires: feed_checkpoints
-- The legacy import copies rows with the rule triggers off, so a cycle of
-- parent features or of blocking tasks in the old data arrived as it was.
-- Each cycle is broken at one edge (the link of its member with the smallest
-- id): the link is cleared, the edge goes to claude.legacy_quarantine with the
-- cycle it closed, and a feed row says so. Rows are never lost. On a
-- database without such cycles (every fresh install) this finds nothing.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '60min';
SET LOCAL ROLE buildtracker_owner;

-- Clears one link, keeps it in the quarantine with the cycle it closed, and
-- records it in the feed (origin system). The rule and logging triggers are
-- off for the one UPDATE: the rules would refuse a closed feature's change.
CREATE FUNCTION pg_temp.quarantine_edge(source_table text, key_column text, link_column text, member uuid, path uuid[])
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    row_data jsonb;
    reason text;
    entity text := CASE source_table WHEN 'features' THEN 'feature' ELSE 'build_task' END;
BEGIN
    EXECUTE format('SELECT to_jsonb(t) FROM claude.%I t WHERE t.%I = $1', source_table, key_column)
       INTO row_data USING member;
    reason := format('%s formed a cycle (%s -> %s): the link was removed, the row kept', link_column,
                     array_to_string(path, ' -> '), path[1]);
    INSERT INTO claude.legacy_quarantine (source_table, source_id, row_data, reason)
    VALUES (source_table || '.' || link_column, member::text,
            jsonb_build_object(key_column, member, link_column, row_data -> link_column, 'row', row_data), reason);
    PERFORM claude.append_activity('system', entity, member, 'updated',
        format('Legacy cycle broken: %s cleared', link_column), reason, 'buildtracker upgrade', NULL, 'warning',
        jsonb_build_object(link_column, jsonb_build_object('old', row_data -> link_column, 'new', NULL)));
    EXECUTE format('ALTER TABLE claude.%I DISABLE TRIGGER USER', source_table);
    EXECUTE format('UPDATE claude.%I SET %I = NULL WHERE %I = $1', source_table, link_column, key_column) USING member;
    EXECUTE format('ALTER TABLE claude.%I ENABLE TRIGGER USER', source_table);
END
$$;

DO $cycles$
DECLARE
    edge record;
    broken integer := 0;
BEGIN
    LOOP
        -- one member of one remaining cycle per round: the smallest id on it
        WITH RECURSIVE walk(start_id, node, path) AS (
            SELECT f.feature_id, f.parent_feature_id, ARRAY[f.feature_id]
              FROM claude.features f WHERE f.parent_feature_id IS NOT NULL
            UNION ALL
            SELECT w.start_id, f.parent_feature_id, w.path || f.feature_id
              FROM walk w JOIN claude.features f ON f.feature_id = w.node
             WHERE w.node <> w.start_id AND f.parent_feature_id IS NOT NULL
               AND NOT f.feature_id = ANY (w.path)
        )
        SELECT 'features' AS source_table, w.start_id AS member, w.path AS path
          INTO edge
          FROM walk w WHERE w.node = w.start_id
         ORDER BY w.start_id LIMIT 1;
        EXIT WHEN edge.member IS NULL;
        PERFORM pg_temp.quarantine_edge('features', 'feature_id', 'parent_feature_id', edge.member, edge.path);
        broken := broken + 1;
    END LOOP;
    LOOP
        WITH RECURSIVE walk(start_id, node, path) AS (
            SELECT t.task_id, t.blocked_by_task_id, ARRAY[t.task_id]
              FROM claude.build_tasks t WHERE t.blocked_by_task_id IS NOT NULL
            UNION ALL
            SELECT w.start_id, t.blocked_by_task_id, w.path || t.task_id
              FROM walk w JOIN claude.build_tasks t ON t.task_id = w.node
             WHERE w.node <> w.start_id AND t.blocked_by_task_id IS NOT NULL
               AND NOT t.task_id = ANY (w.path)
        )
        SELECT 'build_tasks' AS source_table, w.start_id AS member, w.path AS path
          INTO edge
          FROM walk w WHERE w.node = w.start_id
         ORDER BY w.start_id LIMIT 1;
        EXIT WHEN edge.member IS NULL;
        PERFORM pg_temp.quarantine_edge('build_tasks', 'task_id', 'blocked_by_task_id', edge.member, edge.path);
        broken := broken + 1;
    END LOOP;
    IF broken > 0 THEN
        RAISE NOTICE 'legacy upgrade: % cycle(s) of parent features or blocking tasks broken; the links are in claude.legacy_quarantine', broken;
    END IF;
END
$cycles$;

COMMIT;
