-- SPEC section 10, comments and search (deploy/comments.sql, deploy/search.sql,
-- deploy/invariants.sql): add_comment on every entity type, every failed
-- check in one error, the commented feed row with the body's SHA-256, the
-- append-only guard, get_comments newest first with keyset paging; search
-- with English stemming, names above descriptions, the project filter,
-- comments reported as their entity, acceptance criteria, stop words and
-- snippets; check_invariants catching a comment changed behind the guard, a
-- comment without its feed row and a blocks cycle made with triggers off.
BEGIN;
\ir include/failure.psql
\ir include/ids_and_errors.psql
SELECT plan(45);

SELECT claude.add_project('Comments project') -> 'data' ->> 'project_id' AS p \gset
SELECT claude.add_project('Other search project') -> 'data' ->> 'project_id' AS p2 \gset
SELECT claude.add_identity('comment-author') -> 'data' ->> 'identity_id' AS who \gset
SELECT claude.add_feature('Comment feature', 'api', :'p', description => 'Handles the message queue throughput.')
           -> 'data' ->> 'feature_id' AS f \gset
SELECT claude.add_component(:'f', 'Queue worker', 'service') -> 'data' ->> 'component_id' AS comp \gset
SELECT claude.add_task('Blocked queue handling', 'Retry logic for the messages.', 'code', feature_id => :'f')
           -> 'data' ->> 'task_id' AS t1 \gset
SELECT claude.add_task('Retry policy', 'Messages that are blocked by the broker get retried.', 'code', feature_id => :'f')
           -> 'data' ->> 'task_id' AS t2 \gset
SELECT claude.add_requirement(:'f', 'Throughput requirement', 'performance', 'The system must be fast enough.',
                              ARRAY['the wombat endpoint must respond within 2 seconds'],
                              created_by_identity_id => :'who') -> 'data' ->> 'requirement_id' AS r \gset
SELECT claude.add_feature('Elsewhere feature', 'api', :'p2') -> 'data' ->> 'feature_id' AS f2 \gset
SELECT claude.add_task('Blocked elsewhere', 'A task of another project.', 'code', feature_id => :'f2')
           -> 'data' ->> 'task_id' AS t3 \gset

-- ------------------------------------------------------------------ add_comment (6 tests)
SELECT pg_temp.keep('on project', claude.add_comment('project', :'p', 'A note on the whole project.')) IS NOT NULL AS c1,
       pg_temp.keep('on feature', claude.add_comment('feature', :'f', 'A note on the feature.')) IS NOT NULL AS c2,
       pg_temp.keep('on component', claude.add_comment('component', :'comp', 'A note on the component.')) IS NOT NULL AS c3,
       pg_temp.keep('on task', claude.add_comment('build_task', :'t2', '  The quokka approach looks promising.  ', 'reviewer-1'))
           IS NOT NULL AS c4,
       pg_temp.keep('on requirement', claude.add_comment('requirement', :'r', 'A note on the requirement.')) IS NOT NULL AS c5 \gset
SELECT is(ARRAY(SELECT pg_temp.got(k) #>> '{data,entity_type}'
                  FROM unnest(ARRAY['on project', 'on feature', 'on component', 'on task', 'on requirement']) k),
          ARRAY['project', 'feature', 'component', 'build_task', 'requirement'],
          'add_comment works on a project, feature, component, task and requirement');
SELECT is((SELECT count(*) FROM claude.comments WHERE entity_id IN (:'p', :'f', :'comp', :'t2', :'r')), 5::bigint,
          'each is stored in claude.comments');
SELECT is((pg_temp.got('on task') -> 'data') - ARRAY['comment_id', 'created_at'],
          jsonb_build_object('entity_type', 'build_task', 'entity_id', :'t2',
                             'body', '  The quokka approach looks promising.  ', 'actor', 'reviewer-1'),
          'the envelope holds the comment as written, with its actor');
SELECT ok((pg_temp.got('on task') #>> '{data,created_at}')::timestamptz BETWEEN now() AND clock_timestamp(),
          'created_at is the database''s (the clock when it was written, in this transaction)');
SELECT is((SELECT jsonb_build_object('source_type', source_type, 'source_id', source_id, 'title', title, 'actor', actor,
                                     'severity', severity, 'project_name', project_name, 'changes', changes)
             FROM claude.activity_feed
            WHERE activity_type = 'commented' AND changes ->> 'comment_id' = pg_temp.got('on task') #>> '{data,comment_id}'),
          jsonb_build_object('source_type', 'build_task', 'source_id', :'t2', 'title', 'Comment on task: Retry policy',
                             'actor', 'reviewer-1', 'severity', 'info', 'project_name', 'Comments project',
                             'changes', jsonb_build_object(
                                 'comment_id', pg_temp.got('on task') #>> '{data,comment_id}',
                                 'body_sha256', encode(sha256(convert_to('  The quokka approach looks promising.  ', 'UTF8')), 'hex'))),
          'each comment is a commented feed row about its entity with the body''s SHA-256');
SELECT is((SELECT count(*) FROM claude.activity_feed a JOIN claude.comments c ON c.comment_id = (a.changes ->> 'comment_id')::uuid
            WHERE a.activity_type = 'commented' AND c.entity_id IN (:'p', :'f', :'comp', :'t2', :'r')
              AND a.source_id = c.entity_id AND a.source_type = c.entity_type
              AND a.changes ->> 'body_sha256' = encode(sha256(convert_to(c.body, 'UTF8')), 'hex')), 5::bigint,
          'every one of the five has its commented row with the matching hash');

-- ------------------------------------------------------------------ add_comment refused (9 tests)
SELECT throws_ok(format($$SELECT claude.add_comment('build_task', %L, 'About nothing.')$$, gen_random_uuid()), '23503', NULL,
                 'a comment on a task that does not exist: 23503');
SELECT throws_ok(format($$SELECT claude.add_comment('feature', %L, 'About the wrong kind.')$$, :'t1'), '23503', NULL,
                 'a comment naming a task id as a feature: 23503');
SELECT throws_ok(format($$SELECT claude.add_comment('build_task', %L, '')$$, :'t1'), '23514', NULL,
                 'an empty body is refused');
SELECT throws_ok(format($$SELECT claude.add_comment('build_task', %L, '    ')$$, :'t1'), '23514', NULL,
                 'a body of spaces is refused');
SELECT throws_ok(format($$SELECT claude.add_comment('build_task', %L, E' \t\n\r ')$$, :'t1'), '23514', NULL,
                 'a body of other blanks (tab, newline, carriage return) is refused too');
SELECT throws_ok(format($$SELECT claude.add_comment('build_task', %L, repeat('x', 10001))$$, :'t1'), '23514', NULL,
                 'a body over 10000 characters is refused');
SET LOCAL client_min_messages = warning;   -- "word is too long to be indexed"
SELECT lives_ok(format($$SELECT claude.add_comment('build_task', %L, repeat('y', 10000))$$, :'t3'),
                'a body of exactly 10000 characters is accepted');
RESET client_min_messages;
SELECT throws_ok(format($$SELECT claude.add_comment('task', %L, 'Wrong entity type.')$$, :'t1'), '23514', NULL,
                 'an unknown entity_type is refused');
SELECT is(pg_temp.failure(format($$SELECT claude.add_comment('bogus', %L, '   ', repeat('a', 256))$$, :'t1')) -> 'detail' -> 'errors',
          '[{"code": "23514", "field": "entity_type", "message": "entity_type must be one of project, feature, component, build_task, requirement"},
            {"code": "23514", "field": "body", "message": "body must be 1-10000 characters (not counting surrounding blanks)"},
            {"code": "23514", "field": "actor", "message": "actor must be at most 255 characters"}]'::jsonb,
          'one error lists every failed check (entity_type, body, actor)');

-- ------------------------------------------------------------------ append-only (4 tests)
SELECT pg_temp.got('on feature') #>> '{data,comment_id}' AS cf \gset
SET LOCAL ROLE buildtracker_owner;
SELECT throws_ok(format($$UPDATE claude.comments SET body = 'rewritten' WHERE comment_id = %L$$, :'cf'), '55000', NULL,
                 'UPDATE on comments is refused, even for the owner');
SELECT throws_ok(format($$DELETE FROM claude.comments WHERE comment_id = %L$$, :'cf'), '55000', NULL,
                 'DELETE on comments is refused, even for the owner');
SELECT throws_ok($$TRUNCATE claude.comments$$, '55000', NULL, 'TRUNCATE on comments is refused, even for the owner');
RESET ROLE;
SELECT is((SELECT body FROM claude.comments WHERE comment_id = :'cf'), 'A note on the feature.', 'the comment is unchanged');

-- ------------------------------------------------------------------ get_comments (6 tests)
-- two older comments, written with the rule trigger (which stamps created_at) off
ALTER TABLE claude.comments DISABLE TRIGGER bt10_rules;
INSERT INTO claude.comments (comment_id, entity_type, entity_id, body, actor, created_at)
VALUES ('33000000-0000-4000-8000-000000000001', 'build_task', :'t1', 'Two hours ago.', 'old-timer', now() - interval '2 hours'),
       ('33000000-0000-4000-8000-000000000002', 'build_task', :'t1', 'One hour ago.', 'old-timer', now() - interval '1 hour');
ALTER TABLE claude.comments ENABLE TRIGGER bt10_rules;
SELECT claude.add_comment('build_task', :'t1', 'Just now, first.') IS NOT NULL AS n1,
       claude.add_comment('build_task', :'t1', 'Just now, second.') IS NOT NULL AS n2 \gset
CREATE TEMP TABLE t1_comments AS
SELECT row_number() OVER (ORDER BY created_at DESC, comment_id DESC) AS n, comment_id, created_at
  FROM claude.comments WHERE entity_type = 'build_task' AND entity_id = :'t1';
SELECT is(ARRAY(SELECT comment_id FROM claude.get_comments('build_task', :'t1')),
          ARRAY(SELECT comment_id FROM t1_comments ORDER BY n),
          'get_comments: newest first, ties by comment_id');
SELECT is((SELECT array_agg(body) FROM (SELECT body FROM claude.get_comments('build_task', :'t1') OFFSET 2) x),
          ARRAY['One hour ago.', 'Two hours ago.'], 'the older comments come last, newest of them first');
SELECT is((SELECT count(*) FROM claude.get_comments('build_task', :'t1', max_rows => 2)), 2::bigint, 'max_rows limits the page');
SELECT n, comment_id AS page_id, created_at AS page_at FROM t1_comments WHERE n = 2 \gset
SELECT is(ARRAY(SELECT comment_id FROM claude.get_comments('build_task', :'t1', 2, :'page_at'::timestamptz, :'page_id'::uuid)),
          ARRAY(SELECT comment_id FROM t1_comments WHERE n IN (3, 4) ORDER BY n),
          'before + before_id continue after the last row of the page, skipping none of the same created_at');
SELECT is(ARRAY(SELECT body FROM claude.get_comments('build_task', :'t1', before => now())),
          ARRAY['One hour ago.', 'Two hours ago.'], 'before alone: only comments strictly older');
SELECT is((SELECT count(*) FROM claude.get_comments('build_task', gen_random_uuid())), 0::bigint,
          'an entity without comments: no rows');

-- ------------------------------------------------------------------ search (12 tests)
SELECT is(ARRAY(SELECT entity_id FROM claude.search('blocking', :'p') WHERE entity_type = 'build_task'),
          ARRAY[:'t1'::uuid, :'t2'::uuid],
          'search stems: "blocking" finds "Blocked" in a name and "blocked" in a description, the name first');
SELECT ok((SELECT rank FROM claude.search('blocking', :'p') WHERE entity_id = :'t1')
          > (SELECT rank FROM claude.search('blocking', :'p') WHERE entity_id = :'t2'),
          'a hit in the name ranks above a hit in the description');
SELECT ok(:'t3'::uuid IN (SELECT entity_id FROM claude.search('blocking')), 'without project_id every project is searched');
SELECT ok(:'t3'::uuid NOT IN (SELECT entity_id FROM claude.search('blocking', :'p')), 'project_id keeps to one project');
SELECT is((SELECT jsonb_build_object('entity_type', entity_type, 'entity_id', entity_id, 'title', title)
             FROM claude.search('quokka', :'p')),
          jsonb_build_object('entity_type', 'build_task', 'entity_id', :'t2', 'title', 'Comment on Retry policy'),
          'a comment is found and reported as the entity it is about, titled "Comment on ..."');
SELECT is((SELECT count(*) FROM claude.search('quokka', :'p2')), 0::bigint, 'the comment is not found in another project');
SELECT is((SELECT entity_type || ':' || entity_id FROM claude.search('wombat', :'p')), 'requirement:' || :'r',
          'a word of a requirement''s acceptance criteria finds the requirement');
SELECT ok((SELECT snippet FROM claude.search('wombat', :'p')) LIKE '%**wombat**%', 'the snippet marks the hit with **');
SELECT ok((SELECT snippet FROM claude.search('blocking', :'p') WHERE entity_id = :'t2') LIKE '%**blocked**%',
          'the snippet marks the stemmed hit as written');
SELECT ok((SELECT snippet FROM claude.search('blocking', :'p') WHERE entity_id = :'t1') LIKE '%**Blocked**%',
          'a hit only in the name is marked too (the snippet reads the name and the text)');
SET LOCAL client_min_messages = warning;
SELECT is((SELECT count(*) FROM claude.search('the and of', :'p')), 0::bigint, 'a query of stop words only finds nothing');
RESET client_min_messages;
SELECT throws_ok($$SELECT * FROM claude.search('')$$, '23514', NULL, 'an empty query is refused');
SELECT throws_ok($$SELECT * FROM claude.search(repeat('q', 1001))$$, '23514', NULL, 'a query over 1000 characters is refused');

-- ------------------------------------------------------------------ check_invariants (7 tests)
SELECT is((SELECT count(*) FROM claude.check_invariants()
            WHERE entity_id IN (SELECT comment_id FROM claude.comments WHERE entity_id IN (:'p', :'f', :'comp', :'t2', :'r'))
               OR entity_id IN (:'t1', :'t2', :'t3')),
          0::bigint, 'comments written through add_comment break no invariant');
ALTER TABLE claude.comments DISABLE TRIGGER USER;
UPDATE claude.comments SET body = 'Rewritten behind the guard.' WHERE comment_id = :'cf';
INSERT INTO claude.comments (comment_id, entity_type, entity_id, body, actor, created_at)
VALUES ('33000000-0000-4000-8000-000000000003', 'build_task', :'t2', 'Never logged.', 'sneaky', clock_timestamp());
ALTER TABLE claude.comments ENABLE TRIGGER USER;
SELECT is((SELECT body FROM claude.comments WHERE comment_id = :'cf'), 'Rewritten behind the guard.',
          'with the guard off, a comment can be changed');
SELECT ok(EXISTS (SELECT 1 FROM claude.check_invariants()
                   WHERE invariant = 'comment_unaltered' AND entity = 'comment' AND entity_id = :'cf'),
          'check_invariants reports the changed comment (comment_unaltered)');
SELECT ok(EXISTS (SELECT 1 FROM claude.check_invariants()
                   WHERE invariant = 'comment_logged' AND entity_id = '33000000-0000-4000-8000-000000000003'),
          'check_invariants reports a comment without its commented row (comment_logged)');
ALTER TABLE claude.task_dependencies DISABLE TRIGGER USER;
INSERT INTO claude.task_dependencies (task_id, depends_on_task_id, kind) VALUES (:'t1', :'t2', 'blocks'), (:'t2', :'t1', 'blocks');
ALTER TABLE claude.task_dependencies ENABLE TRIGGER USER;
SELECT is(ARRAY(SELECT entity_id FROM claude.check_invariants()
                 WHERE invariant = 'task_dependency_cycle' AND entity_id IN (:'t1', :'t2', :'t3') ORDER BY entity_id::text),
          ARRAY(SELECT x FROM unnest(ARRAY[:'t1'::uuid, :'t2'::uuid]) x ORDER BY x::text),
          'check_invariants reports both tasks of a blocks cycle over task_dependencies');
SELECT throws_ok(format($$SELECT claude.add_dependency(%L, %L)$$, :'t1', :'t3'), '23514', NULL,
                 'the guard is on again: a cross-project edge is still refused');
SELECT is((SELECT count(*) FROM claude.check_invariants() WHERE invariant = 'task_dependency_cycle' AND entity_id = :'t3'),
          0::bigint, 'a task outside the cycle is not reported');

SELECT * FROM finish();
ROLLBACK;
