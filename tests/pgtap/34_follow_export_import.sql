-- SPEC section 10, following the feed and export/import
-- (deploy/activity_follow.sql, deploy/export_import.sql).
--
-- Export and import come first, while the feed holds only rows the database
-- stamped and sealed (import_records ends with check_invariants over the
-- whole database). The round trip: a project is built and exported inside a
-- subtransaction that is then rolled back (PL/pgSQL variables survive it), so
-- the lines name rows that no longer exist; importing them must bring the
-- rows back with their ids and times, and exporting again must give the same
-- lines.
--
-- get_activity_after reads only final rows: those of transactions below the
-- commit horizon (pg_snapshot_xmin). Every row this test writes through the
-- database carries the test's own transaction id, which is never below the
-- horizon, so those rows are not returned yet; the order is tested on rows
-- inserted in replica mode (no stamp trigger) with explicit old xact_ids.
BEGIN;
\ir include/failure.psql
\ir include/ids_and_errors.psql
SELECT plan(46);
-- to_jsonb(row) below is compared with exported lines, whose times are UTC
SET LOCAL TimeZone = 'UTC';

-- ------------------------------------------------------------------ the round trip's lines
CREATE TEMP TABLE exported (n bigint PRIMARY KEY, line jsonb NOT NULL);
DO $$
DECLARE
    lines jsonb;
    p uuid;
    who uuid;
    f uuid;
    t1 uuid;
    t2 uuid;
BEGIN
    BEGIN
        p := claude.add_project('Round trip project') #>> '{data,project_id}';
        who := claude.add_identity('round-trip-agent') #>> '{data,identity_id}';
        f := claude.add_feature('Round trip feature', 'api', p, description => 'Everything an export carries.',
                                planned_by_identity_id => who, labels => ARRAY['export', 'v1.1']) #>> '{data,feature_id}';
        PERFORM claude.add_component(f, 'Round trip component', 'service', file_path => 'src/round_trip.py');
        PERFORM claude.add_requirement(f, 'Round trip requirement', 'functional', 'Lines come back as they were.',
                                       ARRAY['export after import gives the same lines'], created_by_identity_id => who);
        t1 := claude.add_task('Claimed round trip task', 'Held by the agent with a lease.', 'code', feature_id => f,
                              priority => 1, labels => ARRAY['backend']) #>> '{data,task_id}';
        -- the seed's blocked_by_task_id: a link inside a table, set once every line is in
        t2 := claude.add_task('Waiting round trip task', 'Waits on the claimed task.', 'test', feature_id => f,
                              priority => 2, blocked_by_task_id => t1) #>> '{data,task_id}';
        PERFORM claude.add_dependency(t2, (claude.add_task('Related round trip task', 'Only related to the waiting task.',
                                                           'documentation', feature_id => f) #>> '{data,task_id}')::uuid,
                                      'related');
        PERFORM claude.add_feature('Round trip child feature', 'ui', p, parent_feature_id => f);
        PERFORM claude.claim_next_task(who, feature_id => f, lease => interval '2 hours');
        PERFORM claude.add_comment('build_task', t1, 'Comment that travels with the export.');
        PERFORM claude.add_comment('project', p, 'A note on the project.');
        -- every identity is exported; only this test's one belongs to the round trip
        SELECT jsonb_agg(l.line::jsonb ORDER BY l.n) INTO lines
          FROM claude.export_records(p) WITH ORDINALITY AS l(line, n)
         WHERE l.line::jsonb ->> 'record' <> 'identities' OR (l.line::jsonb ->> 'identity_id')::uuid = who;
        RAISE EXCEPTION USING ERRCODE = 'ZZ998', MESSAGE = 'roll the round trip project back';
    EXCEPTION WHEN SQLSTATE 'ZZ998' THEN
        NULL;
    END;
    INSERT INTO exported (n, line) SELECT e.n, e.line FROM jsonb_array_elements(lines) WITH ORDINALITY AS e(line, n);
END
$$;
SELECT (SELECT line ->> 'project_id' FROM exported WHERE line ->> 'record' = 'projects') AS rp,
       (SELECT line ->> 'identity_id' FROM exported WHERE line ->> 'record' = 'identities') AS rwho \gset

-- ------------------------------------------------------------------ export_records (5 tests)
SELECT is((SELECT count(*) FROM claude.projects WHERE project_id = :'rp'), 0::bigint,
          'the exported project was rolled back: its lines name rows that do not exist');
SELECT is(ARRAY(SELECT r FROM (SELECT DISTINCT line ->> 'record' AS r FROM exported) d ORDER BY r),
          ARRAY['activity_feed', 'build_tasks', 'comments', 'components', 'features', 'identities', 'projects',
                'requirements', 'task_dependencies'],
          'the export holds every kind of record: entities, dependencies, comments and the feed');
SELECT is(ARRAY(SELECT line ->> 'record' FROM exported ORDER BY n),
          ARRAY(SELECT line ->> 'record' FROM exported ORDER BY array_position(claude.export_tables(), line ->> 'record'), n),
          'lines come in export_tables() order: projects, identities, features, ... activity_feed');
SELECT is((SELECT count(*) FROM exported WHERE line ->> 'record' = 'activity_feed' AND line ?| ARRAY['origin', 'db_user', 'xact_id', 'checksum']),
          0::bigint, 'feed lines carry no stamps (origin, db_user, xact_id, checksum)');
SELECT throws_ok($$SELECT * FROM claude.export_records(gen_random_uuid())$$, 'P0002', NULL,
                 'export_records of an unknown project: P0002');

-- ------------------------------------------------------------------ import_records refused (8 tests)
SET LOCAL ROLE buildtracker_writer;
SELECT throws_ok($$SELECT claude.import_records('[]')$$, '42501', NULL, 'a writer may not import');
RESET ROLE;
SELECT throws_ok($$SELECT claude.import_records('{"record": "projects"}')$$, '23514', NULL, 'records must be an array');
SELECT throws_ok($$SELECT claude.import_records(NULL)$$, '23514', NULL, 'null records are refused');
SELECT pg_temp.keep('bad lines', pg_temp.failure(format($$SELECT claude.import_records(%L::jsonb)$$, jsonb_build_array(
    (SELECT line FROM exported WHERE line ->> 'record' = 'projects'),
    '{"record": "tickets", "ticket_id": 1}'::jsonb,
    (SELECT line FROM exported WHERE line ->> 'record' = 'identities') || '{"nickname": "rt"}',
    (SELECT line FROM exported WHERE line ->> 'record' = 'projects'),
    '"just a string"'::jsonb,
    (SELECT line FROM exported WHERE line ->> 'record' = 'activity_feed' ORDER BY n LIMIT 1) || '{"origin": "trigger"}')))) IS NOT NULL AS k \gset
SELECT is(pg_temp.got('bad lines') ->> 'sqlstate', '23514', 'bad lines: one 23514 error');
SELECT is(jsonb_path_query_array(pg_temp.got('bad lines'), '$.detail.errors[*].line'), '[2, 3, 4, 5, 6]'::jsonb,
          'it names every bad line by number (unknown record, unknown column, duplicate id, not an object, a stamp)');
SELECT is(jsonb_path_query_array(pg_temp.got('bad lines'), '$.detail.errors[*].field'),
          '["line 2", "line 3", "line 4", "line 5", "line 6"]'::jsonb, 'each item''s field is "line N"');
SELECT is(jsonb_path_query_array(pg_temp.got('bad lines'), '$.detail.errors[*].code'),
          '["23514", "23514", "23505", "23514", "23514"]'::jsonb, 'the duplicate id is reported as 23505, the rest as 23514');
SELECT is((SELECT count(*) FROM claude.projects WHERE project_id = :'rp'), 0::bigint,
          'nothing was imported: not even the good first line');

-- ------------------------------------------------------------------ the round trip (13 tests)
SELECT pg_temp.keep('import', claude.import_records((SELECT jsonb_agg(line ORDER BY n) FROM exported), 'round-trip-test'))
       IS NOT NULL AS k \gset
SELECT is(pg_temp.got('import') - 'imported',
          jsonb_build_object('lines', (SELECT count(*) FROM exported), 'actor', 'round-trip-test'),
          'import_records reports the lines read and the actor');
SELECT is(pg_temp.got('import') -> 'imported',
          (SELECT jsonb_object_agg(r, c) FROM (SELECT line ->> 'record' AS r, count(*) AS c FROM exported GROUP BY 1) x),
          'and how many rows of each table it wrote: every line');
SELECT is((SELECT to_jsonb(p) FROM claude.projects p WHERE project_id = :'rp'),
          (SELECT line - 'record' FROM exported WHERE line ->> 'record' = 'projects'),
          'the project is back with its id and timestamps');
SELECT is((SELECT to_jsonb(i) FROM claude.identities i WHERE identity_id = :'rwho'),
          (SELECT line - 'record' FROM exported WHERE line ->> 'record' = 'identities'),
          'the identity is back with its id and timestamps');
SELECT is(ARRAY(SELECT to_jsonb(t) FROM claude.build_tasks t
                 WHERE task_id IN (SELECT (line ->> 'task_id')::uuid FROM exported WHERE line ->> 'record' = 'build_tasks')
                 ORDER BY 1),
          ARRAY(SELECT line - 'record' FROM exported WHERE line ->> 'record' = 'build_tasks' ORDER BY 1),
          'the tasks are back as they were: status, assignee, lease, labels, blocked_by_task_id');
SELECT is(ARRAY(SELECT to_jsonb(c) FROM claude.comments c
                 WHERE comment_id IN (SELECT (line ->> 'comment_id')::uuid FROM exported WHERE line ->> 'record' = 'comments')
                 ORDER BY 1),
          ARRAY(SELECT line - 'record' FROM exported WHERE line ->> 'record' = 'comments' ORDER BY 1),
          'the comments are back with their ids and times');
SELECT is(ARRAY(SELECT jsonb_build_object('id', a.id, 'created_at', a.created_at, 'origin', a.origin,
                                          'own_xact', a.xact_id = pg_current_xact_id(), 'sealed', a.checksum IS NOT NULL)
                  FROM claude.activity_feed a JOIN exported e ON (e.line ->> 'id')::uuid = a.id
                 WHERE e.line ->> 'record' = 'activity_feed' ORDER BY e.n),
          ARRAY(SELECT jsonb_build_object('id', line ->> 'id', 'created_at', (line ->> 'created_at')::timestamptz,
                                          'origin', 'import', 'own_xact', true, 'sealed', true)
                  FROM exported WHERE line ->> 'record' = 'activity_feed' ORDER BY n),
          'feed rows keep id and created_at; the database stamps origin import, its own transaction and checksum');
SET LOCAL TimeZone = 'Asia/Kolkata';
SELECT is(ARRAY(SELECT l.line::jsonb FROM claude.export_records(:'rp') WITH ORDINALITY AS l(line, n)
                 WHERE l.line::jsonb ->> 'record' <> 'identities' OR l.line::jsonb ->> 'identity_id' = :'rwho'
                 ORDER BY l.n),
          ARRAY(SELECT line FROM exported ORDER BY n),
          'export after import gives the same lines, in the same order (under any session time zone)');
SET LOCAL TimeZone = 'UTC';
SELECT is((SELECT count(*) FROM claude.check_invariants()), 0::bigint, 'the imported database breaks no invariant');
SELECT is((SELECT count(*) FROM pg_trigger
            WHERE tgrelid IN ('claude.projects'::regclass, 'claude.identities'::regclass, 'claude.features'::regclass,
                              'claude.components'::regclass, 'claude.build_tasks'::regclass, 'claude.requirements'::regclass,
                              'claude.task_dependencies'::regclass, 'claude.comments'::regclass)
              AND NOT tgisinternal AND tgenabled <> 'O'), 0::bigint,
          'every trigger the import switched off is on again');
-- the feed's key is (id, created_at) (it is partitioned by month): the same id at another time is refused
SELECT is(pg_temp.failure(format($$SELECT claude.import_records(jsonb_build_array(%L::jsonb))$$,
              (SELECT line FROM exported WHERE line ->> 'record' = 'activity_feed' ORDER BY n LIMIT 1)
              || jsonb_build_object('created_at', '2024-03-01T00:00:00Z'))) #>> '{detail,errors,0,code}',
          '23505', 'a feed row whose id is already in the feed is refused, whatever its time (23505)');
SELECT format($$SELECT claude.import_records(jsonb_build_array(%L::jsonb))$$,
              (SELECT line FROM exported WHERE line ->> 'record' = 'features' ORDER BY n LIMIT 1)
              || jsonb_build_object('feature_id', '34000000-0000-4000-8000-0000000000f0', 'feature_name', 'Feature without history'))
       AS unlogged_import \gset
SELECT throws_ok(:'unlogged_import', '23514', NULL,
                 'an import leaving a row the rules would refuse (a feature without its created feed row) is refused');
SELECT is((pg_temp.failure(:'unlogged_import') -> 'detail' -> 'errors' -> 0) - 'message',
          '{"code": "23514", "field": "creation_logged"}'::jsonb, 'the refusal names the invariant check_invariants found broken');
-- a violation that was there before is not the import's: a clean import still passes
SET LOCAL session_replication_role = replica;
UPDATE claude.features SET completion_percentage = 77 WHERE feature_id = (SELECT (line ->> 'feature_id')::uuid FROM exported
                                                                           WHERE line ->> 'record' = 'features' ORDER BY n LIMIT 1);
RESET session_replication_role;
SELECT is((SELECT count(*) FROM claude.check_invariants() WHERE invariant = 'completion_rollup'), 1::bigint,
          'a roll-up broken before the import');
SELECT lives_ok(format($$SELECT claude.import_records(jsonb_build_array(%L::jsonb))$$,
                       jsonb_build_object('record', 'identities', 'identity_id', '34000000-0000-4000-8000-0000000000e1',
                                          'identity_name', 'late-importer', 'created_at', '2024-01-01T00:00:00Z',
                                          'updated_at', '2024-01-01T00:00:00Z')),
                'does not stop an import that breaks nothing new');

-- ------------------------------------------------------------------ bt91_notify_feed (2 tests)
SELECT trigger_is('claude', 'activity_feed', 'bt91_notify_feed', 'claude', 'notify_feed',
                  'bt91_notify_feed wakes followers through claude.notify_feed');
SELECT is((SELECT jsonb_build_object('row_level', (tgtype & 1) <> 0, 'before', (tgtype & 2) <> 0, 'on_insert', (tgtype & 4) <> 0)
             FROM pg_trigger WHERE tgrelid = 'claude.activity_feed'::regclass AND tgname = 'bt91_notify_feed'),
          '{"row_level": false, "before": false, "on_insert": true}'::jsonb,
          'it fires once per statement, after INSERT');

-- ------------------------------------------------------------------ get_activity_after (10 tests)
-- rows of finished transactions: replica mode (no stamp, no seal) with explicit old xact_ids
SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint - 1 AS last_final \gset
SET LOCAL session_replication_role = replica;
INSERT INTO claude.activity_feed (id, source_type, activity_type, title, severity, created_at, origin, xact_id)
VALUES ('34000000-0000-4000-8000-00000000000a', 'system', 'updated', 'A: transaction 1, latest time',
        'info', now() + interval '10 seconds', 'caller', '1'),
       ('34000000-0000-4000-8000-00000000000b', 'system', 'updated', 'B: transaction 2, earliest time',
        'info', now() - interval '1 hour', 'caller', '2'),
       ('34000000-0000-4000-8000-00000000000c', 'system', 'updated', 'C: transaction 2, later time',
        'warning', now() + interval '5 seconds', 'caller', '2'),
       ('34000000-0000-4000-8000-0000000000d2', 'system', 'updated', 'D2: transaction 3, same time, higher id',
        'error', now(), 'caller', '3'),
       ('34000000-0000-4000-8000-0000000000d1', 'system', 'updated', 'D1: transaction 3, same time, lower id',
        'info', now(), 'caller', '3'),
       ('34000000-0000-4000-8000-0000000000e1', 'system', 'updated', 'E1: the newest final transaction',
        'info', '2999-01-01T00:00:00Z', 'caller', :'last_final'::text::xid8),
       ('34000000-0000-4000-8000-0000000000e2', 'system', 'updated', 'E2: the newest final transaction, later',
        'info', '2999-01-02T00:00:00Z', 'caller', :'last_final'::text::xid8);
RESET session_replication_role;
SELECT claude.log_activity('system', NULL, 'updated', 'Written in this transaction') AS mine \gset

SELECT is(ARRAY(SELECT right(id::text, 2) FROM claude.get_activity_after('34000000-0000-4000-8000-00000000000a', 4)),
          ARRAY['0b', '0c', 'd1', 'd2'],
          'rows after a given one, in (xact_id, created_at, id) order: the transaction first, then time, then id');
SELECT is(ARRAY(SELECT severity FROM claude.get_activity_after('34000000-0000-4000-8000-00000000000a', 4)),
          ARRAY['info', 'warning', 'info', 'error'], 'every severity is followed');
SELECT is(ARRAY(SELECT right(id::text, 2) FROM claude.get_activity_after('34000000-0000-4000-8000-00000000000b', 2)),
          ARRAY['0c', 'd1'], 'max_rows limits the page; the next page starts after the given row');
SELECT is(ARRAY(SELECT right(id::text, 2) FROM claude.get_activity_after(NULL, 2)), ARRAY['e1', 'e2'],
          'without after_id: the newest final rows, oldest first');
SELECT is((SELECT array_agg(a.id ORDER BY a.xact_id, a.created_at, a.id)
             FROM claude.get_activity_after('00000000-0000-0000-0000-000000000000', 3) a),
          (SELECT array_agg(f.id ORDER BY f.xact_id, f.created_at, f.id)
             FROM (SELECT * FROM claude.activity_feed ORDER BY xact_id, created_at, id LIMIT 3) f),
          'with the nil uuid: the oldest rows, from the very first (a follower that started on an empty feed)');
SELECT ok(NOT EXISTS (SELECT 1 FROM claude.get_activity_after(NULL, 1000) WHERE xact_id = pg_current_xact_id()),
          'rows of a transaction still running (this one) are not final and not returned');
SELECT ok(:'mine'::uuid NOT IN (SELECT id FROM claude.get_activity_after('34000000-0000-4000-8000-00000000000a', 1000)),
          'a row just written in this transaction is not returned after an older one');
SELECT is((SELECT count(*) FROM claude.get_activity_after(:'mine', 1000)), 0::bigint,
          'following from a row of this transaction returns nothing final yet');
SELECT throws_ok(format($$SELECT * FROM claude.get_activity_after(%L)$$, gen_random_uuid()), 'P0002', NULL,
                 'an after_id that is not in the feed (pruned or never there): P0002');
SET LOCAL ROLE buildtracker_reader;
SELECT lives_ok($$SELECT * FROM claude.get_activity_after(NULL, 10)$$, 'a reader may follow the feed');
RESET ROLE;

-- ------------------------------------------------------------------ follow_feed (6 tests)
-- Writers notify buildtracker_feed only while a follower is registered: a
-- NOTIFY takes a database-wide lock at commit.
SELECT ok(pg_get_functiondef('claude.notify_feed()'::regprocedure) ~ 'IF EXISTS \(SELECT 1 FROM claude.feed_followers\)',
          'notify_feed notifies only while claude.feed_followers has a row');
SET LOCAL ROLE buildtracker_reader;
SELECT is(claude.follow_feed(), true, 'a reader may start following (LISTEN and register)');
RESET ROLE;
SELECT is(ARRAY(SELECT pid FROM claude.feed_followers), ARRAY[pg_backend_pid()],
          'the following session is registered by its pid');
SELECT lives_ok('SELECT claude.follow_feed()', 'following again keeps one registration');
-- a follower that went away without a word (no such backend: pid 0 is never one)
INSERT INTO claude.feed_followers (pid) VALUES (0);
SELECT is(claude.forget_gone_followers(), 1, 'forget_gone_followers removes the row of a session that ended');
INSERT INTO claude.feed_followers (pid) VALUES (0);
SELECT claude.run_jobs() IS NOT NULL AS ran \gset
SELECT is(ARRAY(SELECT pid FROM claude.feed_followers), ARRAY[pg_backend_pid()],
          'run_jobs forgets it too, and keeps the live follower');

SELECT * FROM finish();
ROLLBACK;
