-- The append-only guard lets exactly one DELETE through: the statement inside
-- claude.prune_activity. No session setting, no look-alike statement and no
-- role short of DDL gets past it (21_activity_feed.sql tests pruning itself).
BEGIN;
SELECT plan(7);

INSERT INTO claude.activity_feed (source_type, activity_type, title, severity, created_at)
VALUES ('system', 'created', 'Guard test: an old row', 'info', now() - interval '400 days');
SELECT id AS old_row FROM claude.activity_feed WHERE title = 'Guard test: an old row' \gset

SET LOCAL ROLE buildtracker_owner;
SET LOCAL buildtracker.pruning = 'on';
SELECT throws_ok($$DELETE FROM claude.activity_feed WHERE title = 'Guard test: an old row'$$, '55000', NULL,
                 'the owner cannot delete by setting buildtracker.pruning (the setting the guard once trusted)');
SELECT throws_ok($$UPDATE claude.activity_feed SET title = 'rewritten' WHERE title = 'Guard test: an old row'$$, '55000', NULL,
                 'nor update a row');
SELECT throws_ok($$TRUNCATE claude.activity_feed$$, '55000', NULL, 'nor truncate the feed');
RESET buildtracker.pruning;

-- the same statement text, run by a function that is not claude.prune_activity
CREATE FUNCTION pg_temp.prune_activity(older_than interval, actor text DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    pruned bigint;
BEGIN
    DELETE FROM claude.activity_feed a WHERE a.created_at < now() - older_than;
    GET DIAGNOSTICS pruned = ROW_COUNT;
    RETURN pruned;
END
$$;
SELECT throws_ok($$SELECT pg_temp.prune_activity(interval '365 days')$$, '55000', NULL,
                 'a look-alike pruning function in another schema is refused');
RESET ROLE;

SELECT ok(claude.prune_activity(interval '365 days', actor => 'guard-test') >= 1,
          'claude.prune_activity deletes old rows');
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE id = :'old_row')::int, 0, 'the old row is gone');
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE actor = 'guard-test' AND source_type = 'system'
             AND activity_type = 'deleted')::int, 1, 'and the pruning is on record');

SELECT * FROM finish();
ROLLBACK;
