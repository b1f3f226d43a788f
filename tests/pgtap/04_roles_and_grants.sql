-- Roles, ownership and privileges (SPEC section 8): an owner role owns every
-- object; readers read the tables; writers are readers that must go through
-- the write functions (no direct INSERT/UPDATE/DELETE); PUBLIC gets nothing.
BEGIN;
SELECT plan(89);

-- ------------------------------------------------------------------ roles (13 tests)
SELECT has_role(r::name, format('role %s exists', r))
  FROM (VALUES ('buildtracker_owner'), ('buildtracker_reader'), ('buildtracker_writer')) AS v(r);
SELECT is((SELECT rolcanlogin OR rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls
             FROM pg_roles WHERE rolname = r),
          false, format('%s is a plain NOLOGIN group role', r))
  FROM (VALUES ('buildtracker_owner'), ('buildtracker_reader'), ('buildtracker_writer')) AS v(r);
SELECT isnt(shobj_description((SELECT oid FROM pg_roles WHERE rolname = r), 'pg_authid'), NULL,
            format('role %s has a comment', r))
  FROM (VALUES ('buildtracker_owner'), ('buildtracker_reader'), ('buildtracker_writer')) AS v(r);

SELECT is_member_of('buildtracker_reader', 'buildtracker_writer',
                    'buildtracker_writer is a member of buildtracker_reader');
SELECT ok(NOT pg_has_role(m, g, 'MEMBER'), format('%s is not a member of %s', m, g))
  FROM (VALUES ('buildtracker_reader', 'buildtracker_writer'),
               ('buildtracker_reader', 'buildtracker_owner'),
               ('buildtracker_writer', 'buildtracker_owner')) AS v(m, g);

-- ------------------------------------------------------------------ ownership (10 tests)
SELECT schema_owner_is('claude', 'buildtracker_owner', 'schema claude is owned by buildtracker_owner');
SELECT table_owner_is('claude', t::name, 'buildtracker_owner', format('claude.%s is owned by buildtracker_owner', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('build_tasks'), ('requirements'), ('activity_feed')) AS v(t);
SELECT is(coalesce(array_agg(c.oid::regclass::text ORDER BY 1), '{}'), '{}'::text[],
          'every relation of schema claude (tables, indexes, sequences, views) is owned by buildtracker_owner')
  FROM pg_class c
 WHERE c.relnamespace = 'claude'::regnamespace
   AND c.relowner <> 'buildtracker_owner'::regrole;
SELECT is(coalesce(array_agg(p.oid::regprocedure::text ORDER BY 1), '{}'), '{}'::text[],
          'every function of schema claude is owned by buildtracker_owner')
  FROM pg_proc p
 WHERE p.pronamespace = 'claude'::regnamespace
   AND p.proowner <> 'buildtracker_owner'::regrole;

-- ------------------------------------------------------------------ schema privileges (3 tests)
SELECT schema_privs_are('claude', 'buildtracker_reader', ARRAY['USAGE'],
                        'buildtracker_reader may use schema claude but not create in it');
SELECT schema_privs_are('claude', 'buildtracker_writer', ARRAY['USAGE'],
                        'buildtracker_writer may use schema claude but not create in it');
SELECT is(count(*), 0::bigint, 'PUBLIC has no privilege on schema claude')
  FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) AS a
 WHERE n.nspname = 'claude' AND a.grantee = 0;

-- ------------------------------------------------------------------ table privileges (21 tests)
SELECT table_privs_are('claude', t::name, 'buildtracker_reader', ARRAY['SELECT'],
                       format('buildtracker_reader may only SELECT claude.%s', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('build_tasks'), ('requirements'), ('activity_feed')) AS v(t);
SELECT table_privs_are('claude', t::name, 'buildtracker_writer', ARRAY['SELECT'],
                       format('buildtracker_writer may only SELECT claude.%s (no INSERT, UPDATE, DELETE, TRUNCATE)', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('build_tasks'), ('requirements'), ('activity_feed')) AS v(t);
SELECT is(ARRAY(SELECT a.privilege_type
                   FROM pg_class c, aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) AS a
                  WHERE c.oid = format('claude.%I', t)::regclass AND a.grantee = 0
                  ORDER BY 1),
          '{}'::text[], format('PUBLIC has no privilege on claude.%s', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('build_tasks'), ('requirements'), ('activity_feed')) AS v(t);

-- ------------------------------------------------------------------ PUBLIC and functions (3 tests)
SELECT is(coalesce(array_agg(c.oid::regclass::text ORDER BY 1), '{}'), '{}'::text[],
          'PUBLIC has no privilege on any relation of schema claude')
  FROM pg_class c
 WHERE c.relnamespace = 'claude'::regnamespace
   AND EXISTS (SELECT 1 FROM aclexplode(coalesce(c.relacl, acldefault(
                   CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) AS a
                WHERE a.grantee = 0);
-- A NULL proacl means the built-in default, which lets PUBLIC execute.
SELECT is(coalesce(array_agg(p.oid::regprocedure::text ORDER BY 1), '{}'), '{}'::text[],
          'PUBLIC has no EXECUTE on any function of schema claude (acl)')
  FROM pg_proc p
 WHERE p.pronamespace = 'claude'::regnamespace
   AND EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) AS a
                WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE');
SELECT is(coalesce(array_agg(p.oid::regprocedure::text ORDER BY 1), '{}'), '{}'::text[],
          'has_function_privilege(public, ..., EXECUTE) is false for every function of schema claude')
  FROM pg_proc p
 WHERE p.pronamespace = 'claude'::regnamespace
   AND has_function_privilege('public', p.oid, 'EXECUTE');

-- ------------------------------------------------------------------ default privileges (3 tests)
-- What the owner creates later gets the same treatment.
SET LOCAL ROLE buildtracker_owner;
CREATE FUNCTION claude.zz_grants_probe() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE TABLE claude.zz_grants_probe (i int);
RESET ROLE;
SELECT ok(NOT has_function_privilege('public', 'claude.zz_grants_probe()', 'EXECUTE'),
          'a function the owner creates later is not executable by PUBLIC');
SELECT table_privs_are('claude', 'zz_grants_probe', 'buildtracker_reader', ARRAY['SELECT'],
                       'a table the owner creates later is readable by buildtracker_reader');
SELECT table_privs_are('claude', 'zz_grants_probe', 'public', ARRAY[]::name[],
                       'a table the owner creates later gives PUBLIC nothing');
DROP TABLE claude.zz_grants_probe;
DROP FUNCTION claude.zz_grants_probe();

-- ------------------------------------------------------------------ as buildtracker_reader (12 tests)
INSERT INTO claude.projects (project_id, project_name)
VALUES ('d1000000-0000-4000-8000-000000000001', 'Grants project');

SET LOCAL ROLE buildtracker_reader;
SELECT lives_ok(format('SELECT * FROM claude.%I', t), format('buildtracker_reader can SELECT from claude.%s', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('build_tasks'), ('requirements'), ('activity_feed')) AS v(t);
SELECT throws_ok($$INSERT INTO claude.projects (project_name) VALUES ('Reader project')$$, '42501', NULL,
                 'buildtracker_reader cannot INSERT');
SELECT throws_ok($$UPDATE claude.projects SET project_name = 'Renamed by reader'$$, '42501', NULL,
                 'buildtracker_reader cannot UPDATE');
SELECT throws_ok($$DELETE FROM claude.projects$$, '42501', NULL,
                 'buildtracker_reader cannot DELETE');
SELECT throws_ok($$TRUNCATE claude.activity_feed$$, '42501', NULL,
                 'buildtracker_reader cannot TRUNCATE');
SELECT throws_ok($$CREATE TABLE claude.reader_table (i int)$$, '42501', NULL,
                 'buildtracker_reader cannot create objects in schema claude');
RESET ROLE;

-- ------------------------------------------------------------------ as buildtracker_writer (23 tests)
SET LOCAL ROLE buildtracker_writer;
SELECT lives_ok($$SELECT * FROM claude.projects$$, 'buildtracker_writer can SELECT (through buildtracker_reader)');
SELECT throws_ok(format('INSERT INTO claude.%I DEFAULT VALUES', t), '42501', NULL,
                 format('buildtracker_writer cannot INSERT into claude.%s', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('build_tasks'), ('requirements'), ('activity_feed')) AS v(t);
SELECT throws_ok(format('UPDATE claude.%I SET created_at = created_at', t), '42501', NULL,
                 format('buildtracker_writer cannot UPDATE claude.%s', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('build_tasks'), ('requirements'), ('activity_feed')) AS v(t);
SELECT throws_ok(format('DELETE FROM claude.%I', t), '42501', NULL,
                 format('buildtracker_writer cannot DELETE from claude.%s', t))
  FROM (VALUES ('projects'), ('identities'), ('features'), ('components'),
               ('build_tasks'), ('requirements'), ('activity_feed')) AS v(t);
SELECT throws_ok($$TRUNCATE claude.activity_feed$$, '42501', NULL,
                 'buildtracker_writer cannot TRUNCATE');
RESET ROLE;

SELECT is(project_name, 'Grants project', 'the reader and the writer left the data unchanged')
  FROM claude.projects WHERE project_id = 'd1000000-0000-4000-8000-000000000001';

SELECT * FROM finish();
ROLLBACK;
