-- The append-only guard lets exactly one DELETE through: the statement inside
-- claude.prune_activity. No session setting, no look-alike statement and no
-- role short of DDL gets past it (21_activity_feed.sql tests pruning itself).
BEGIN;
SELECT plan(11);

-- a row from long ago (replica mode: past the stamping trigger, which would
-- set created_at to now)
SET LOCAL session_replication_role = replica;
INSERT INTO claude.activity_feed (source_type, activity_type, title, severity, created_at)
VALUES ('system', 'created', 'Guard test: an old row', 'info', now() - interval '400 days');
RESET session_replication_role;
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
    prune_horizon xid8 := pg_current_xact_id();
BEGIN
    DELETE FROM claude.activity_feed a WHERE a.xact_id < prune_horizon;
    GET DIAGNOSTICS pruned = ROW_COUNT;
    RETURN pruned;
END
$$;
SELECT throws_ok($$SELECT pg_temp.prune_activity(interval '365 days')$$, '55000', NULL,
                 'a look-alike pruning function in another schema is refused');
RESET ROLE;

-- nor a function of that name in a schema whose name ends in claude
CREATE SCHEMA xclaude;
CREATE FUNCTION xclaude.prune_activity(older_than interval, actor text DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    pruned bigint;
    prune_horizon xid8 := pg_current_xact_id();
BEGIN
    DELETE FROM claude.activity_feed a WHERE a.xact_id < prune_horizon;
    GET DIAGNOSTICS pruned = ROW_COUNT;
    RETURN pruned;
END
$$;
SELECT throws_ok($$SELECT xclaude.prune_activity(interval '365 days')$$, '55000', NULL,
                 'a look-alike in schema xclaude is refused');

-- the guard reads what PostgreSQL never translates: pruning works in German too
SET LOCAL lc_messages = 'de_DE.UTF-8';
SELECT ok(claude.prune_activity(interval '365 days', actor => 'guard-test') >= 1,
          'claude.prune_activity deletes old rows, under lc_messages de_DE');
RESET lc_messages;
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE id = :'old_row')::int, 0, 'the old row is gone');
SELECT is((SELECT count(*) FROM claude.activity_feed WHERE actor = 'guard-test' AND source_type = 'system'
             AND activity_type = 'deleted')::int, 1, 'and the pruning is on record');

-- a direct INSERT is refused, even for the owner: the feed's rows are the database's
SELECT throws_ok($$INSERT INTO claude.activity_feed (source_type, activity_type, title)
                   VALUES ('system', 'created', 'Forged')$$, '55000', NULL,
                 'a direct INSERT on the feed is refused with 55000');
SET LOCAL ROLE buildtracker_owner;
SELECT throws_ok($$INSERT INTO claude.activity_feed (source_type, activity_type, title, created_at, actor)
                   VALUES ('system', 'created', 'Backdated', now() - interval '1 year', 'someone-else')$$, '55000', NULL,
                 'and for the owner (no backdated rows with any actor)');
RESET ROLE;
SELECT claude.log_activity('system', NULL, 'updated', 'Stamped row') AS stamped \gset
SELECT is((SELECT jsonb_build_object('origin', origin, 'db_user', db_user = session_user,
                                     'xact', xact_id = pg_current_xact_id(), 'recent', created_at > now() - interval '1 minute')
             FROM claude.activity_feed WHERE id = :'stamped'),
          '{"origin": "caller", "db_user": true, "xact": true, "recent": true}'::jsonb,
          'a logged row is stamped by the database: origin caller, session user, this transaction, now');

SELECT * FROM finish();
ROLLBACK;
