-- Structure of schema claude (SPEC section 2): tables, columns with their
-- types, NOT NULL-ness and defaults, primary keys, comments, indexes, and the
-- trigger that keeps created_at / updated_at in the database's hands.
BEGIN;
SELECT plan(413);

-- ------------------------------------------------------------------ schema
SELECT has_schema('claude', 'schema claude exists');
SELECT isnt(obj_description('claude'::regnamespace, 'pg_namespace'), NULL,
            'schema claude has a comment');

-- ------------------------------------------------------------------ tables
SELECT has_table('claude', t::name, format('table claude.%s exists', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('build_tasks'), ('requirements'), ('activity_feed')) AS v(t);

-- ------------------------------------------------------------------ columns
-- One row per column: table, position, column, type, NOT NULL, default.
CREATE TEMP TABLE colspec (t name, ord int, c name, typ text, nn boolean, def text) ON COMMIT DROP;
INSERT INTO colspec VALUES
    ('projects',      1, 'project_id',                  'uuid',                     true,  'gen_random_uuid()'),
    ('projects',      2, 'project_name',                'text',                     true,  NULL),
    ('projects',      3, 'created_at',                  'timestamp with time zone', true,  'now()'),
    ('projects',      4, 'updated_at',                  'timestamp with time zone', true,  'now()'),

    ('identities',    1, 'identity_id',                 'uuid',                     true,  'gen_random_uuid()'),
    ('identities',    2, 'identity_name',               'text',                     true,  NULL),
    ('identities',    3, 'created_at',                  'timestamp with time zone', true,  'now()'),
    ('identities',    4, 'updated_at',                  'timestamp with time zone', true,  'now()'),

    ('features',      1, 'feature_id',                  'uuid',                     true,  'gen_random_uuid()'),
    ('features',      2, 'project_id',                  'uuid',                     true,  NULL),
    ('features',      3, 'parent_feature_id',           'uuid',                     false, NULL),
    ('features',      4, 'feature_name',                'text',                     true,  NULL),
    ('features',      5, 'feature_type',                'text',                     true,  NULL),
    ('features',      6, 'description',                 'text',                     false, NULL),
    ('features',      7, 'priority',                    'integer',                  true,  '5'),
    ('features',      8, 'status',                      'text',                     true,  'not_started'),
    ('features',      9, 'completion_percentage',       'integer',                  true,  '0'),
    ('features',     10, 'planned_date',                'timestamp with time zone', false, NULL),
    ('features',     11, 'planned_by_identity_id',      'uuid',                     false, NULL),
    ('features',     12, 'started_date',                'timestamp with time zone', false, NULL),
    ('features',     13, 'completed_date',              'timestamp with time zone', false, NULL),
    ('features',     14, 'implemented_by_identity_id',  'uuid',                     false, NULL),
    ('features',     15, 'design_doc_path',             'text',                     false, NULL),
    ('features',     16, 'implementation_notes',        'text',                     false, NULL),
    ('features',     17, 'blocked_reason',              'text',                     false, NULL),
    ('features',     18, 'cancellation_reason',         'text',                     false, NULL),
    ('features',     19, 'created_at',                  'timestamp with time zone', true,  'now()'),
    ('features',     20, 'updated_at',                  'timestamp with time zone', true,  'now()'),
    -- SPEC section 10
    ('features',     21, 'labels',                      'text[]',                   true,  '{}'),

    ('components',    1, 'component_id',                'uuid',                     true,  'gen_random_uuid()'),
    ('components',    2, 'feature_id',                  'uuid',                     true,  NULL),
    ('components',    3, 'component_name',              'text',                     true,  NULL),
    ('components',    4, 'component_type',              'text',                     true,  NULL),
    ('components',    5, 'file_path',                   'text',                     false, NULL),
    ('components',    6, 'planned_functions',           'text[]',                   true,  '{}'),
    ('components',    7, 'planned_dependencies',        'text[]',                   true,  '{}'),
    ('components',    8, 'actual_functions',            'text[]',                   true,  '{}'),
    ('components',    9, 'status',                      'text',                     true,  'planned'),
    ('components',   10, 'lines_of_code',               'integer',                  false, NULL),
    ('components',   11, 'has_tests',                   'boolean',                  true,  'false'),
    ('components',   12, 'test_coverage_percentage',    'numeric(5,2)',             false, NULL),
    ('components',   13, 'has_documentation',           'boolean',                  true,  'false'),
    ('components',   14, 'doc_path',                    'text',                     false, NULL),
    ('components',   15, 'implemented_at',              'timestamp with time zone', false, NULL),
    ('components',   16, 'created_at',                  'timestamp with time zone', true,  'now()'),
    ('components',   17, 'updated_at',                  'timestamp with time zone', true,  'now()'),

    ('build_tasks',   1, 'task_id',                     'uuid',                     true,  'gen_random_uuid()'),
    ('build_tasks',   2, 'feature_id',                  'uuid',                     true,  NULL),
    ('build_tasks',   3, 'component_id',                'uuid',                     false, NULL),
    ('build_tasks',   4, 'task_name',                   'text',                     true,  NULL),
    ('build_tasks',   5, 'task_description',            'text',                     true,  NULL),
    ('build_tasks',   6, 'task_type',                   'text',                     true,  NULL),
    ('build_tasks',   7, 'status',                      'text',                     true,  'todo'),
    ('build_tasks',   8, 'priority',                    'integer',                  true,  '5'),
    ('build_tasks',   9, 'assigned_to_identity_id',     'uuid',                     false, NULL),
    ('build_tasks',  10, 'estimated_hours',             'numeric(8,2)',             false, NULL),
    ('build_tasks',  11, 'actual_hours',                'numeric(8,2)',             false, NULL),
    ('build_tasks',  12, 'started_at',                  'timestamp with time zone', false, NULL),
    ('build_tasks',  13, 'completed_at',                'timestamp with time zone', false, NULL),
    ('build_tasks',  14, 'blocked_reason',              'text',                     false, NULL),
    ('build_tasks',  15, 'blocked_by_task_id',          'uuid',                     false, NULL),
    ('build_tasks',  16, 'completion_notes',            'text',                     false, NULL),
    ('build_tasks',  17, 'cancellation_reason',         'text',                     false, NULL),
    ('build_tasks',  18, 'created_at',                  'timestamp with time zone', true,  'now()'),
    ('build_tasks',  19, 'updated_at',                  'timestamp with time zone', true,  'now()'),
    -- SPEC section 10
    ('build_tasks',  20, 'labels',                      'text[]',                   true,  '{}'),
    ('build_tasks',  21, 'lease_expires_at',            'timestamp with time zone', false, NULL),

    ('requirements',  1, 'requirement_id',              'uuid',                     true,  'gen_random_uuid()'),
    ('requirements',  2, 'feature_id',                  'uuid',                     true,  NULL),
    ('requirements',  3, 'requirement_name',            'text',                     true,  NULL),
    ('requirements',  4, 'requirement_type',            'text',                     true,  NULL),
    ('requirements',  5, 'description',                 'text',                     false, NULL),
    ('requirements',  6, 'acceptance_criteria',         'text[]',                   true,  '{}'),
    ('requirements',  7, 'status',                      'text',                     true,  'draft'),
    ('requirements',  8, 'priority',                    'integer',                  true,  '5'),
    ('requirements',  9, 'must_have',                   'boolean',                  true,  'false'),
    ('requirements', 10, 'implemented_by_component_id', 'uuid',                     false, NULL),
    ('requirements', 11, 'verified_at',                 'timestamp with time zone', false, NULL),
    ('requirements', 12, 'verified_by_test_run_id',     'uuid',                     false, NULL),
    ('requirements', 13, 'created_by_identity_id',      'uuid',                     false, NULL),
    ('requirements', 14, 'created_at',                  'timestamp with time zone', true,  'now()'),
    ('requirements', 15, 'updated_at',                  'timestamp with time zone', true,  'now()'),

    ('activity_feed', 1, 'id',                          'uuid',                     true,  'gen_random_uuid()'),
    ('activity_feed', 2, 'source_type',                 'text',                     true,  NULL),
    ('activity_feed', 3, 'source_id',                   'uuid',                     false, NULL),
    ('activity_feed', 4, 'actor',                       'text',                     false, NULL),
    ('activity_feed', 5, 'activity_type',               'text',                     true,  NULL),
    ('activity_feed', 6, 'title',                       'text',                     true,  NULL),
    ('activity_feed', 7, 'summary',                     'text',                     false, NULL),
    ('activity_feed', 8, 'project_name',                'text',                     false, NULL),
    ('activity_feed', 9, 'severity',                    'text',                     true,  'info'),
    ('activity_feed',10, 'created_at',                  'timestamp with time zone', true,  'clock_timestamp()'),
    ('activity_feed',11, 'changes',                     'jsonb',                    false, NULL),
    ('activity_feed',12, 'checksum',                    'text',                     false, NULL),
    ('activity_feed',13, 'origin',                      'text',                     true,  'unrecorded'),
    ('activity_feed',14, 'db_user',                     'text',                     false, NULL),
    ('activity_feed',15, 'xact_id',                     'xid8',                     true,  '0');

-- Exactly these columns, no more (7 tests).
SELECT columns_are('claude', t, array_agg(c ORDER BY ord),
                   format('claude.%s has exactly the columns of SPEC section 2', t))
  FROM colspec GROUP BY t ORDER BY t;

-- Types (94 tests).
SELECT col_type_is('claude', t, c, typ, format('claude.%s.%s is %s', t, c, typ))
  FROM colspec ORDER BY t, ord;

-- NOT NULL-ness (94 tests).
SELECT CASE WHEN nn
            THEN col_not_null('claude', t, c, format('claude.%s.%s is NOT NULL', t, c))
            ELSE col_is_null('claude', t, c, format('claude.%s.%s is nullable', t, c))
       END
  FROM colspec ORDER BY t, ord;

-- Defaults where set, and none elsewhere (94 tests).
SELECT CASE WHEN def IS NOT NULL
            THEN col_default_is('claude', t, c, def, format('claude.%s.%s defaults to %s', t, c, def))
            ELSE col_hasnt_default('claude', t, c, format('claude.%s.%s has no default', t, c))
       END
  FROM colspec ORDER BY t, ord;

-- ------------------------------------------------------------------ primary keys (14 tests)
SELECT has_pk('claude', t::name, format('claude.%s has a primary key', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('build_tasks'), ('requirements'), ('activity_feed')) AS v(t);
SELECT col_is_pk('claude', t::name, c::name, format('claude.%s primary key is %s', t, c))
  FROM (VALUES ('projects', 'project_id'), ('identities', 'identity_id'),
               ('features', 'feature_id'), ('components', 'component_id'),
               ('build_tasks', 'task_id'), ('requirements', 'requirement_id')) AS v(t, c);
-- partitioned by month: a partitioned table's key holds its partition key
SELECT col_is_pk('claude', 'activity_feed', ARRAY['id', 'created_at']::name[],
                 'claude.activity_feed primary key is (id, created_at)');

-- ------------------------------------------------------------------ comments (11 tests)
SELECT isnt(obj_description(format('claude.%I', t)::regclass, 'pg_class'), NULL,
            format('table claude.%s has a comment', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('build_tasks'), ('requirements'), ('activity_feed')) AS v(t);

SELECT is(count(*), 0::bigint, 'every table of schema claude has a comment')
  FROM pg_class c
 WHERE c.relnamespace = 'claude'::regnamespace AND c.relkind IN ('r', 'p')
   AND obj_description(c.oid, 'pg_class') IS NULL;

SELECT is(coalesce(array_agg(format('%s.%s', c.relname, a.attname) ORDER BY c.relname, a.attnum), '{}'),
          '{}'::text[], 'every column of every table of schema claude has a comment')
  FROM pg_class c
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'claude'::regnamespace AND c.relkind IN ('r', 'p')
   AND col_description(c.oid, a.attnum) IS NULL;

SELECT is(coalesce(array_agg(format('%s.%s', k.conrelid::regclass, k.conname) ORDER BY k.conname), '{}'),
          '{}'::text[], 'every check, unique and foreign-key constraint of the seven tables has a comment (its error text)')
  FROM pg_constraint k
 WHERE k.connamespace = 'claude'::regnamespace AND k.contype IN ('c', 'u', 'f')
   AND k.conrelid::regclass::text IN ('claude.projects', 'claude.identities', 'claude.features',
       'claude.components', 'claude.build_tasks', 'claude.requirements', 'claude.activity_feed')
   AND obj_description(k.oid, 'pg_constraint') IS NULL;

SELECT is(coalesce(array_agg(i.indexrelid::regclass::text ORDER BY 1), '{}'),
          '{}'::text[], 'every index of claude that is not a constraint''s has a comment')
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
 WHERE c.relnamespace = 'claude'::regnamespace
   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
   AND obj_description(i.indexrelid, 'pg_class') IS NULL;

-- ------------------------------------------------------------------ unique constraints (3 tests)
SELECT col_is_unique('claude', 'projects', ARRAY['project_name']::name[], 'project_name is unique');
SELECT col_is_unique('claude', 'identities', ARRAY['identity_name']::name[], 'identity_name is unique');
SELECT col_is_unique('claude', 'components', ARRAY['feature_id', 'component_name']::name[],
                     'component_name is unique within a feature');

-- ------------------------------------------------------------------ indexes (34 tests)
CREATE TEMP TABLE idxspec (t name, i name, cols name[], def text) ON COMMIT DROP;
INSERT INTO idxspec VALUES
    ('activity_feed', 'idx_activity_feed_time',     '{created_at,id}',               'btree (created_at DESC, id DESC)'),
    ('activity_feed', 'idx_activity_feed_project',  '{project_name,created_at,id}',  'btree (project_name, created_at DESC, id DESC)'),
    ('activity_feed', 'idx_activity_feed_source',   '{source_type,source_id}',       'btree (source_type, source_id)'),
    ('activity_feed', 'idx_activity_feed_actor',    '{actor,created_at,id}',         'btree (actor, created_at DESC, id DESC)'),
    ('activity_feed', 'idx_activity_feed_type',     '{activity_type,created_at,id}', 'btree (activity_type, created_at DESC, id DESC)'),
    ('features',      'idx_features_status',        '{status}',                      'btree (status)'),
    ('features',      'idx_features_project',       '{project_id,status}',           'btree (project_id, status)'),
    ('components',    'idx_components_feature',     '{feature_id,status}',           'btree (feature_id, status)'),
    ('build_tasks',   'idx_tasks_component',        '{component_id,status}',         'btree (component_id, status)'),
    ('build_tasks',   'idx_tasks_feature',          '{feature_id,status}',           'btree (feature_id, status)'),
    ('build_tasks',   'idx_tasks_assigned',         '{assigned_to_identity_id,status}', 'btree (assigned_to_identity_id, status)'),
    ('requirements',  'idx_requirements_feature',   '{feature_id,status}',           'btree (feature_id, status)'),
    ('features',      'idx_features_parent',        '{parent_feature_id}',           'btree (parent_feature_id) WHERE (parent_feature_id IS NOT NULL)'),
    ('build_tasks',   'idx_tasks_blocked_by',       '{blocked_by_task_id}',          'btree (blocked_by_task_id) WHERE (blocked_by_task_id IS NOT NULL)'),
    ('build_tasks',   'idx_tasks_ready',            '{priority,created_at,task_id}', 'btree (priority, created_at, task_id) WHERE (status = ''todo''::text)'),
    ('build_tasks',   'idx_tasks_ready_feature',    '{feature_id,priority,created_at,task_id}', 'btree (feature_id, priority, created_at, task_id) WHERE (status = ''todo''::text)'),
    ('requirements',  'idx_requirements_component', '{implemented_by_component_id}', 'btree (implemented_by_component_id) WHERE (implemented_by_component_id IS NOT NULL)');

SELECT has_index('claude', t, i, cols, format('index %s on claude.%s(%s) exists', i, t, array_to_string(cols, ', ')))
  FROM idxspec ORDER BY t, i;

-- Sort order (DESC) and partial-index predicates.
SELECT is(regexp_replace(pg_get_indexdef(format('claude.%I', i)::regclass), '^.* USING ', ''), def,
          format('index %s is %s', i, def))
  FROM idxspec ORDER BY t, i;

-- ------------------------------------------------------------------ timestamp trigger
-- A BEFORE INSERT OR UPDATE ... FOR EACH ROW trigger on five non-feed tables
-- (5 x 3 tests); build_tasks has its timestamps set by its rule trigger, one
-- trigger call less per write (lean_triggers; 3 tests), and the append-only
-- feed has none (1 test).
SELECT has_trigger('claude', t::name, 'bt10_touch_timestamps'::name,
                   format('claude.%s has trigger bt10_touch_timestamps', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('requirements')) AS v(t);
SELECT trigger_is('claude', t::name, 'bt10_touch_timestamps', 'claude', 'touch_timestamps',
                  format('claude.%s.bt10_touch_timestamps calls claude.touch_timestamps()', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('requirements')) AS v(t);
-- tgtype bits: ROW 1 | BEFORE 2 | INSERT 4 | UPDATE 16 = 23; 'O' = fires in origin mode.
SELECT is((SELECT tgtype::int || '/' || tgenabled::text FROM pg_trigger
            WHERE tgrelid = format('claude.%I', t)::regclass AND tgname = 'bt10_touch_timestamps'),
          '23/O',
          format('claude.%s.bt10_touch_timestamps is BEFORE INSERT OR UPDATE FOR EACH ROW, enabled', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('requirements')) AS v(t);
SELECT hasnt_trigger('claude', 'build_tasks', 'bt10_touch_timestamps',
                     'claude.build_tasks has no timestamp trigger of its own');
SELECT trigger_is('claude', 'build_tasks', 'bt20_enforce_rules', 'claude', 'enforce_task_rules',
                  'claude.build_tasks.bt20_enforce_rules (claude.enforce_task_rules) sets its timestamps');
SELECT is((SELECT tgtype::int || '/' || tgenabled::text FROM pg_trigger
            WHERE tgrelid = 'claude.build_tasks'::regclass AND tgname = 'bt20_enforce_rules'),
          '23/O', 'claude.build_tasks.bt20_enforce_rules is BEFORE INSERT OR UPDATE FOR EACH ROW, enabled');
SELECT hasnt_trigger('claude', 'activity_feed', 'bt10_touch_timestamps',
                     'claude.activity_feed has no timestamp trigger (created_at only)');

-- The database owns created_at and updated_at. Rows are written in their
-- initial statuses with names long enough for the workflow rules.
CREATE TEMP TABLE stamped (t text, created_at timestamptz, updated_at timestamptz) ON COMMIT DROP;

WITH r AS (INSERT INTO claude.projects (project_id, project_name, created_at, updated_at)
           VALUES ('a1000000-0000-4000-8000-000000000001', 'Timestamp project', '2000-01-01', '2000-01-01')
           RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'projects', * FROM r;
WITH r AS (INSERT INTO claude.identities (identity_id, identity_name, created_at, updated_at)
           VALUES ('a2000000-0000-4000-8000-000000000001', 'timestamp-agent', '2000-01-01', '2000-01-01')
           RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'identities', * FROM r;
WITH r AS (INSERT INTO claude.features (feature_id, project_id, feature_name, feature_type, description,
                                        created_at, updated_at)
           VALUES ('a3000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000001',
                   'Timestamp feature', 'feature', 'A feature that checks the timestamps.',
                   '2000-01-01', '2000-01-01')
           RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'features', * FROM r;
WITH r AS (INSERT INTO claude.components (component_id, feature_id, component_name, component_type,
                                          created_at, updated_at)
           VALUES ('a4000000-0000-4000-8000-000000000001', 'a3000000-0000-4000-8000-000000000001',
                   'TimestampService', 'service', '2000-01-01', '2000-01-01')
           RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'components', * FROM r;
WITH r AS (INSERT INTO claude.build_tasks (task_id, feature_id, component_id, task_name, task_description,
                                           task_type, created_at, updated_at)
           VALUES ('a5000000-0000-4000-8000-000000000001', 'a3000000-0000-4000-8000-000000000001',
                   'a4000000-0000-4000-8000-000000000001', 'Timestamp task',
                   'Write the timestamp service.', 'code', '2000-01-01', '2000-01-01')
           RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'build_tasks', * FROM r;
WITH r AS (INSERT INTO claude.requirements (requirement_id, feature_id, requirement_name, requirement_type,
                                            description, acceptance_criteria, created_by_identity_id,
                                            created_at, updated_at)
           VALUES ('a6000000-0000-4000-8000-000000000001', 'a3000000-0000-4000-8000-000000000001',
                   'Timestamp requirement', 'functional',
                   'Timestamps must be set by the database.',
                   ARRAY['created_at must be the insert time'],
                   'a2000000-0000-4000-8000-000000000001', '2000-01-01', '2000-01-01')
           RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'requirements', * FROM r;

-- INSERT ignores forged values (12 tests).
SELECT is(created_at, now(), format('INSERT into claude.%s sets created_at to now(), not the forged value', t))
  FROM stamped ORDER BY t;
SELECT is(updated_at, now(), format('INSERT into claude.%s sets updated_at to now(), not the forged value', t))
  FROM stamped ORDER BY t;

-- Age the rows behind the trigger's back (ordinary triggers do not fire in
-- replica mode), then UPDATE them normally with forged values again.
SET LOCAL session_replication_role = replica;
UPDATE claude.projects     SET created_at = '2001-02-03', updated_at = '2001-02-03' WHERE project_id     = 'a1000000-0000-4000-8000-000000000001';
UPDATE claude.identities   SET created_at = '2001-02-03', updated_at = '2001-02-03' WHERE identity_id    = 'a2000000-0000-4000-8000-000000000001';
UPDATE claude.features     SET created_at = '2001-02-03', updated_at = '2001-02-03' WHERE feature_id     = 'a3000000-0000-4000-8000-000000000001';
UPDATE claude.components   SET created_at = '2001-02-03', updated_at = '2001-02-03' WHERE component_id   = 'a4000000-0000-4000-8000-000000000001';
UPDATE claude.build_tasks  SET created_at = '2001-02-03', updated_at = '2001-02-03' WHERE task_id        = 'a5000000-0000-4000-8000-000000000001';
UPDATE claude.requirements SET created_at = '2001-02-03', updated_at = '2001-02-03' WHERE requirement_id = 'a6000000-0000-4000-8000-000000000001';
RESET session_replication_role;

TRUNCATE stamped;
WITH r AS (UPDATE claude.projects SET project_name = 'Timestamp project renamed',
                  created_at = '1999-09-09', updated_at = '1999-09-09'
            WHERE project_id = 'a1000000-0000-4000-8000-000000000001' RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'projects', * FROM r;
WITH r AS (UPDATE claude.identities SET identity_name = 'timestamp-agent-renamed',
                  created_at = '1999-09-09', updated_at = '1999-09-09'
            WHERE identity_id = 'a2000000-0000-4000-8000-000000000001' RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'identities', * FROM r;
WITH r AS (UPDATE claude.features SET implementation_notes = 'Touched by the timestamp test.',
                  created_at = '1999-09-09', updated_at = '1999-09-09'
            WHERE feature_id = 'a3000000-0000-4000-8000-000000000001' RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'features', * FROM r;
WITH r AS (UPDATE claude.components SET planned_functions = ARRAY['stamp'],
                  created_at = '1999-09-09', updated_at = '1999-09-09'
            WHERE component_id = 'a4000000-0000-4000-8000-000000000001' RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'components', * FROM r;
WITH r AS (UPDATE claude.build_tasks SET estimated_hours = 2,
                  created_at = '1999-09-09', updated_at = '1999-09-09'
            WHERE task_id = 'a5000000-0000-4000-8000-000000000001' RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'build_tasks', * FROM r;
WITH r AS (UPDATE claude.requirements SET priority = 3,
                  created_at = '1999-09-09', updated_at = '1999-09-09'
            WHERE requirement_id = 'a6000000-0000-4000-8000-000000000001' RETURNING created_at, updated_at)
INSERT INTO stamped SELECT 'requirements', * FROM r;

-- UPDATE keeps created_at and refreshes updated_at (13 tests).
SELECT is(count(*), 6::bigint, 'the six UPDATEs each touched their row') FROM stamped;
SELECT is(created_at, '2001-02-03'::timestamptz,
          format('UPDATE of claude.%s keeps the original created_at, ignoring the forged value', t))
  FROM stamped ORDER BY t;
SELECT is(updated_at, now(),
          format('UPDATE of claude.%s sets updated_at to now(), ignoring the forged value', t))
  FROM stamped ORDER BY t;

SELECT * FROM finish();
ROLLBACK;
