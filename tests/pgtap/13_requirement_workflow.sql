-- Requirement workflow (SPEC section 4 "Requirements", section 6 requirement
-- functions): every transition through update_requirement_status and
-- verify_requirement, allowed and refused; add_requirement's rules (every
-- failure listed in DETAIL); what each transition needs and sets; warnings
-- and metadata; must-haves never rejected; update_requirement; P0002 for a
-- missing requirement; the same rules for raw DML.
--
-- Ids: fixture rows have fixed ids (prefix 13...); requirements are created
-- through claude.add_requirement and found again by their unique names with
-- pg_temp.req(). Helpers (pg_temp, gone with the session):
--   pg_temp.failure(sql)  runs sql in a subtransaction that is ALWAYS rolled
--                         back; returns the error as jsonb {sqlstate, message,
--                         detail (parsed JSON), hint}, or null on success.
--   pg_temp.outcome(sql)  'ok' or the SQLSTATE sql raised (rolled back too).
BEGIN;
SELECT plan(147);

-- ------------------------------------------------------------------ helpers
\ir include/failure.psql
-- The fields named in the DETAIL of the error sql raises, sorted.
CREATE FUNCTION pg_temp.failed_fields(stmt text) RETURNS text[] LANGUAGE sql AS $f$
    SELECT ARRAY(SELECT DISTINCT e->>'field' FROM jsonb_array_elements(pg_temp.failure(stmt)->'detail'->'errors') AS e ORDER BY 1)
$f$;
CREATE FUNCTION pg_temp.req(name text) RETURNS uuid LANGUAGE sql STABLE AS $f$
    SELECT r.requirement_id FROM claude.requirements r WHERE r.requirement_name = name
$f$;
-- add_requirement with approvable defaults (description over 50 characters,
-- three testable criteria, created by rw-author); returns the envelope.
CREATE FUNCTION pg_temp.new_req(name text,
                                feature uuid DEFAULT '13200000-0000-4000-8000-000000000001',
                                descr text DEFAULT 'The system should do what this requirement describes, in full detail.',
                                criteria text[] DEFAULT ARRAY['It should list every item', 'It must load in under a second',
                                                              'Given a user when they sort then the list is sorted'],
                                must boolean DEFAULT false)
RETURNS jsonb LANGUAGE sql AS $f$
    SELECT claude.add_requirement(feature_id => feature, requirement_name => name, requirement_type => 'functional',
                                  description => descr, acceptance_criteria => criteria, must_have => must,
                                  created_by_identity_id => '13100000-0000-4000-8000-000000000001')
$f$;
-- Moves a requirement along draft -> defined -> approved -> implemented ->
-- verified until it reaches target, through the functions.
CREATE FUNCTION pg_temp.advance(name text, target text,
                                component uuid DEFAULT '13300000-0000-4000-8000-000000000001')
RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
    step text;
BEGIN
    FOREACH step IN ARRAY ARRAY['defined', 'approved', 'implemented', 'verified'] LOOP
        IF step = 'verified' THEN
            PERFORM claude.verify_requirement(pg_temp.req(name));
        ELSE
            PERFORM claude.update_requirement_status(pg_temp.req(name), step,
                                                     component_id => CASE WHEN step = 'implemented' THEN component END);
        END IF;
        EXIT WHEN step = target;
    END LOOP;
END
$f$;
CREATE TEMP TABLE env (k text PRIMARY KEY, v jsonb NOT NULL);

-- ------------------------------------------------------------------ fixture
INSERT INTO claude.projects (project_id, project_name)
VALUES ('13000000-0000-4000-8000-000000000001', 'Requirement workflow project');
INSERT INTO claude.identities (identity_id, identity_name)
VALUES ('13100000-0000-4000-8000-000000000001', 'rw-author');
INSERT INTO claude.features (feature_id, project_id, feature_name, feature_type, description) VALUES
    ('13200000-0000-4000-8000-000000000001', '13000000-0000-4000-8000-000000000001',
     'Requirement feature', 'feature', 'The feature most requirements belong to.'),
    ('13200000-0000-4000-8000-000000000002', '13000000-0000-4000-8000-000000000001',
     'Other requirement feature', 'feature', 'A second started feature with its own component.'),
    ('13200000-0000-4000-8000-000000000003', '13000000-0000-4000-8000-000000000001',
     'Unstarted requirement feature', 'feature', 'A feature that is not started.'),
    ('13200000-0000-4000-8000-000000000004', '13000000-0000-4000-8000-000000000001',
     'Completed requirement feature', 'feature', 'A feature that gets completed.'),
    ('13200000-0000-4000-8000-000000000005', '13000000-0000-4000-8000-000000000001',
     'Cancelled requirement feature', 'feature', 'A feature that gets cancelled.'),
    ('13200000-0000-4000-8000-000000000006', '13000000-0000-4000-8000-000000000001',
     'Must have feature', 'feature', 'A started feature with two must-have requirements.');
DO $$
DECLARE
    f uuid;
BEGIN
    FOREACH f IN ARRAY ARRAY['13200000-0000-4000-8000-000000000001', '13200000-0000-4000-8000-000000000002',
                             '13200000-0000-4000-8000-000000000004', '13200000-0000-4000-8000-000000000006']::uuid[] LOOP
        PERFORM claude.update_feature_status(f, 'planned', planned_by_identity_id => '13100000-0000-4000-8000-000000000001');
        PERFORM claude.update_feature_status(f, 'in_progress', implemented_by_identity_id => '13100000-0000-4000-8000-000000000001');
    END LOOP;
    PERFORM claude.complete_feature('13200000-0000-4000-8000-000000000004');
    PERFORM claude.update_feature_status('13200000-0000-4000-8000-000000000005', 'cancelled', reason => 'Out of scope');
END
$$;
INSERT INTO claude.components (component_id, feature_id, component_name, component_type) VALUES
    ('13300000-0000-4000-8000-000000000001', '13200000-0000-4000-8000-000000000001', 'DoneService', 'service'),
    ('13300000-0000-4000-8000-000000000002', '13200000-0000-4000-8000-000000000001', 'LowCoverageService', 'service'),
    ('13300000-0000-4000-8000-000000000003', '13200000-0000-4000-8000-000000000001', 'UntestedService', 'service'),
    ('13300000-0000-4000-8000-000000000004', '13200000-0000-4000-8000-000000000001', 'PlannedService', 'service'),
    ('13300000-0000-4000-8000-000000000005', '13200000-0000-4000-8000-000000000001', 'BusyService', 'service'),
    ('13300000-0000-4000-8000-000000000006', '13200000-0000-4000-8000-000000000001', 'TestedService', 'service'),
    ('13300000-0000-4000-8000-000000000007', '13200000-0000-4000-8000-000000000001', 'DocumentedService', 'service'),
    ('13300000-0000-4000-8000-000000000008', '13200000-0000-4000-8000-000000000002', 'OtherService', 'service'),
    ('13300000-0000-4000-8000-000000000009', '13200000-0000-4000-8000-000000000001', 'MovedService', 'service'),
    ('13300000-0000-4000-8000-00000000000a', '13200000-0000-4000-8000-000000000006', 'MustHaveService', 'service');
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT * FROM (VALUES
            ('13300000-0000-4000-8000-000000000001'::uuid, true, 90),
            ('13300000-0000-4000-8000-000000000002', true, 50),
            ('13300000-0000-4000-8000-000000000003', false, NULL),
            ('13300000-0000-4000-8000-000000000006', true, 85),
            ('13300000-0000-4000-8000-000000000007', true, 95),
            ('13300000-0000-4000-8000-000000000008', true, 90),
            ('13300000-0000-4000-8000-000000000009', true, 90),
            ('13300000-0000-4000-8000-00000000000a', true, 90)) AS v(id, tests, coverage) LOOP
        PERFORM claude.update_component_status(c.id, 'in_progress');
        PERFORM claude.complete_component(c.id, ARRAY['run'], has_tests => c.tests, test_coverage_percentage => c.coverage);
    END LOOP;
    PERFORM claude.update_component_status('13300000-0000-4000-8000-000000000005', 'in_progress');
    PERFORM claude.update_component_status('13300000-0000-4000-8000-000000000006', 'tested');
    PERFORM claude.update_component_status('13300000-0000-4000-8000-000000000007', 'tested');
    PERFORM claude.update_component(component_id => '13300000-0000-4000-8000-000000000007',
                                    changes => '{"has_documentation": true, "doc_path": "docs/documented_service.md"}');
    PERFORM claude.update_component_status('13300000-0000-4000-8000-000000000007', 'documented');
    -- A completed component moved to the feature that is not started.
    PERFORM claude.update_component('13300000-0000-4000-8000-000000000009',
                                    '{"feature_id": "13200000-0000-4000-8000-000000000003"}');
END
$$;

-- ================================================================== transitions through the functions (46 tests)
-- One requirement in each of the six statuses.
DO $$
DECLARE
    s text;
BEGIN
    FOREACH s IN ARRAY ARRAY['draft', 'defined', 'approved', 'implemented', 'verified', 'rejected'] LOOP
        PERFORM pg_temp.new_req('Matrix ' || s);
    END LOOP;
    FOREACH s IN ARRAY ARRAY['defined', 'approved', 'implemented', 'verified'] LOOP
        PERFORM pg_temp.advance('Matrix ' || s, s);
    END LOOP;
    PERFORM claude.update_requirement_status(pg_temp.req('Matrix rejected'), 'rejected', 'Nobody asked for it');
END
$$;
SELECT is(ARRAY(SELECT status FROM claude.requirements WHERE requirement_name LIKE 'Matrix %' ORDER BY requirement_name),
          ARRAY['approved', 'defined', 'draft', 'implemented', 'rejected', 'verified'],
          'the six matrix requirements are in the six statuses');
SELECT is((SELECT count(*) FROM claude.status_transitions
            WHERE entity_type = 'requirement' AND from_status IN ('verified', 'rejected')),
          0::bigint, 'verified and rejected requirements are terminal: no transition leaves them');

-- update_requirement_status, every from -> to pair (36 tests): allowed exactly
-- when listed in claude.status_transitions, 55000 otherwise (a move to the
-- current status too).
SELECT is(pg_temp.outcome(format(
              $$SELECT claude.update_requirement_status(%L, %L, 'A reason', '13300000-0000-4000-8000-000000000001')$$,
              pg_temp.req('Matrix ' || f.status), t.status)),
          CASE WHEN EXISTS (SELECT 1 FROM claude.status_transitions x
                             WHERE x.entity_type = 'requirement' AND x.from_status = f.status AND x.to_status = t.status)
               THEN 'ok' ELSE '55000' END,
          format('update_requirement_status from %s to %s: %s', f.status, t.status,
                 CASE WHEN EXISTS (SELECT 1 FROM claude.status_transitions x
                                    WHERE x.entity_type = 'requirement' AND x.from_status = f.status AND x.to_status = t.status)
                      THEN 'allowed' ELSE 'refused with 55000' END))
  FROM unnest(ARRAY['draft', 'defined', 'approved', 'implemented', 'verified', 'rejected']) WITH ORDINALITY AS f(status, n)
 CROSS JOIN unnest(ARRAY['draft', 'defined', 'approved', 'implemented', 'verified', 'rejected']) WITH ORDINALITY AS t(status, m)
 ORDER BY f.n, t.m;
-- verify_requirement applies only to implemented requirements (6 tests).
SELECT is(pg_temp.outcome(format($$SELECT claude.verify_requirement(%L)$$, pg_temp.req('Matrix ' || s.status))),
          CASE WHEN s.status = 'implemented' THEN 'ok' ELSE '55000' END,
          format('verify_requirement on a %s requirement: %s', s.status,
                 CASE WHEN s.status = 'implemented' THEN 'allowed' ELSE 'refused with 55000' END))
  FROM unnest(ARRAY['draft', 'defined', 'approved', 'implemented', 'verified', 'rejected']) WITH ORDINALITY AS s(status, n)
 ORDER BY s.n;
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, NULL)$$, pg_temp.req('Matrix draft')), '23514', NULL,
                 'update_requirement_status without new_status is refused with 23514');
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'finished')$$, pg_temp.req('Matrix draft')), '23514', NULL,
                 'update_requirement_status to an unknown status is refused with 23514');

-- ================================================================== raw DML (32 tests)
SELECT is(pg_temp.outcome(format(
              $$UPDATE claude.requirements SET status = %L, implemented_by_component_id = '13300000-0000-4000-8000-000000000001'
                 WHERE requirement_id = %L$$, t.status, pg_temp.req('Matrix ' || f.status))),
          CASE WHEN EXISTS (SELECT 1 FROM claude.status_transitions x
                             WHERE x.entity_type = 'requirement' AND x.from_status = f.status AND x.to_status = t.status)
               THEN 'ok' ELSE '55000' END,
          format('raw UPDATE of a requirement from %s to %s: %s', f.status, t.status,
                 CASE WHEN EXISTS (SELECT 1 FROM claude.status_transitions x
                                    WHERE x.entity_type = 'requirement' AND x.from_status = f.status AND x.to_status = t.status)
                      THEN 'allowed' ELSE 'refused with 55000' END))
  FROM unnest(ARRAY['draft', 'defined', 'approved', 'implemented', 'verified', 'rejected']) WITH ORDINALITY AS f(status, n)
 CROSS JOIN unnest(ARRAY['draft', 'defined', 'approved', 'implemented', 'verified', 'rejected']) WITH ORDINALITY AS t(status, m)
 WHERE f.status <> t.status
 ORDER BY f.n, t.m;
SELECT throws_ok($$UPDATE claude.requirements SET status = 'verified', implemented_by_component_id = '13300000-0000-4000-8000-000000000001'
                    WHERE requirement_name = 'Matrix draft'$$, '55000', NULL,
                 'raw status jump draft -> verified is refused with 55000');
SELECT throws_ok($$UPDATE claude.requirements SET verified_at = now() - interval '1 day' WHERE requirement_name = 'Matrix verified'$$,
                 '23514', NULL, 'raw write of verified_at is refused with 23514 (the database sets it)');

-- ================================================================== add_requirement (17 tests)
INSERT INTO env SELECT 'add', pg_temp.new_req('Sortable list');
SELECT is(v->'data'->>'status', 'draft', 'add_requirement creates a draft requirement') FROM env WHERE k = 'add';
SELECT is(v->'metadata'->'criteria_count', '3'::jsonb, 'add_requirement metadata criteria_count is the number of criteria')
  FROM env WHERE k = 'add';
SELECT is(v->'data'->>'verified_at', NULL, 'a new requirement has no verified_at') FROM env WHERE k = 'add';
SELECT is(v->'data'->>'created_by_identity_id', '13100000-0000-4000-8000-000000000001', 'add_requirement stores the creator')
  FROM env WHERE k = 'add';
SELECT is(pg_temp.new_req('Single criterion', criteria => ARRAY['It should work'])->'metadata'->'criteria_count', '1'::jsonb,
          'criteria_count is 1 for one criterion');

SELECT throws_ok($$SELECT claude.add_requirement(feature_id => '13200000-0000-4000-8000-000000000001', requirement_name => 'No creator',
                                                 requirement_type => 'functional', description => 'A requirement nobody wrote down.',
                                                 acceptance_criteria => ARRAY['It should work'])$$,
                 '23514', NULL, 'add_requirement without a creator is refused with 23514');
SELECT throws_ok($$SELECT claude.add_requirement(feature_id => '13200000-0000-4000-8000-000000000001', requirement_name => 'Unknown creator',
                                                 requirement_type => 'functional', description => 'A requirement by a stranger here.',
                                                 acceptance_criteria => ARRAY['It should work'],
                                                 created_by_identity_id => '13100000-0000-4000-8000-0000000000ff')$$,
                 '23503', NULL, 'add_requirement with an unknown creator is refused with 23503');
SELECT throws_ok($$SELECT pg_temp.new_req('Short description', descr => 'Too short to say.')$$,
                 '23514', NULL, 'add_requirement with a description under 20 characters is refused with 23514');
SELECT lives_ok($$SELECT pg_temp.new_req('Twenty character text', descr => '12345678901234567890')$$,
                'add_requirement accepts a description of exactly 20 characters');
SELECT throws_ok($$SELECT pg_temp.new_req('No criteria at all', criteria => '{}')$$,
                 '23514', NULL, 'add_requirement without acceptance criteria is refused with 23514');
SELECT throws_ok($$SELECT pg_temp.new_req('Null criteria', criteria => NULL)$$,
                 '23514', NULL, 'add_requirement with acceptance_criteria null is refused with 23514');
SELECT throws_ok($$SELECT pg_temp.new_req('Empty criterion', criteria => ARRAY['It should work', '   '])$$,
                 '23514', NULL, 'add_requirement with an empty criterion is refused with 23514');
SELECT throws_ok($$SELECT pg_temp.new_req('Abcd')$$,
                 '23514', NULL, 'add_requirement with a name under 5 characters is refused with 23514');
SELECT is(pg_temp.failed_fields($$SELECT claude.add_requirement(feature_id => '13200000-0000-4000-8000-000000000001',
                                                               requirement_name => 'Abc', requirement_type => 'functional',
                                                               description => 'Too short.', acceptance_criteria => '{}')$$),
          ARRAY['acceptance_criteria', 'created_by_identity_id', 'description', 'requirement_name'],
          'several failures are all listed in DETAIL: name, description, criteria, creator');
SELECT throws_ok($$SELECT pg_temp.new_req('On a completed feature', feature => '13200000-0000-4000-8000-000000000004')$$,
                 '55000', NULL, 'add_requirement to a completed feature is refused with 55000');
SELECT throws_ok($$SELECT pg_temp.new_req('On a cancelled feature', feature => '13200000-0000-4000-8000-000000000005')$$,
                 '55000', NULL, 'add_requirement to a cancelled feature is refused with 55000');
SELECT throws_ok($$SELECT pg_temp.new_req('On a missing feature', feature => '13200000-0000-4000-8000-0000000000ff')$$,
                 '23503', NULL, 'add_requirement to a missing feature is refused with 23503');

-- ================================================================== draft -> defined (4 tests)
-- Rows written before the rules (legacy data, written behind the trigger's
-- back) must meet them when they move.
SET LOCAL session_replication_role = replica;
INSERT INTO claude.requirements (feature_id, requirement_name, requirement_type, description, acceptance_criteria,
                                 created_by_identity_id) VALUES
    ('13200000-0000-4000-8000-000000000001', 'Legacy short description', 'functional', 'Too short.',
     ARRAY['It should work'], '13100000-0000-4000-8000-000000000001'),
    ('13200000-0000-4000-8000-000000000001', 'Legacy without criteria', 'functional', 'Written before criteria were required.',
     '{}', '13100000-0000-4000-8000-000000000001'),
    ('13200000-0000-4000-8000-000000000001', 'Legacy empty criterion', 'functional', 'Written before criteria were checked.',
     ARRAY[''], '13100000-0000-4000-8000-000000000001');
RESET session_replication_role;
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'defined')$$, pg_temp.req('Legacy short description')),
                 '23514', NULL, 'draft -> defined with a description under 20 characters is refused with 23514');
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'defined')$$, pg_temp.req('Legacy without criteria')),
                 '23514', NULL, 'draft -> defined without acceptance criteria is refused with 23514');
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'defined')$$, pg_temp.req('Legacy empty criterion')),
                 '23514', NULL, 'draft -> defined with an empty criterion is refused with 23514');
SELECT is(claude.update_requirement_status(pg_temp.req('Sortable list'), 'defined')->'metadata',
          '{"old_status": "draft", "new_status": "defined"}'::jsonb,
          'draft -> defined works with a long enough description and a criterion; metadata old_status, new_status');

-- ================================================================== defined -> approved (9 tests)
SELECT pg_temp.new_req('Fifty character description', descr => repeat('d', 50)) IS NOT NULL AS created \gset
SELECT pg_temp.new_req('Fifty one character text', descr => repeat('d', 51)) IS NOT NULL AS created \gset
SELECT pg_temp.new_req('Two criteria only', criteria => ARRAY['It should work', 'It must be fast']) IS NOT NULL AS created \gset
SELECT pg_temp.new_req('Short and few criteria', descr => 'Twenty characters or more.', criteria => ARRAY['It should work']) IS NOT NULL AS created \gset
SELECT pg_temp.new_req('Untestable criteria', criteria => ARRAY['The page loads fast', 'It should show a list', 'Mustard is shouldered']) IS NOT NULL AS created \gset
DO $$
BEGIN
    PERFORM pg_temp.advance(n, 'defined')
       FROM unnest(ARRAY['Fifty character description', 'Fifty one character text', 'Two criteria only',
                         'Short and few criteria', 'Untestable criteria']) AS n;
END
$$;
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'approved')$$, pg_temp.req('Fifty character description')),
                 '23514', NULL, 'defined -> approved with a description of 50 characters (not more) is refused with 23514');
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'approved')$$, pg_temp.req('Two criteria only')),
                 '23514', NULL, 'defined -> approved with fewer than 3 criteria is refused with 23514');
SELECT is(pg_temp.failed_fields(format($$SELECT claude.update_requirement_status(%L, 'approved')$$, pg_temp.req('Short and few criteria'))),
          ARRAY['acceptance_criteria', 'description'],
          'defined -> approved lists both a short description and too few criteria in DETAIL');
INSERT INTO env SELECT 'approve 51', claude.update_requirement_status(pg_temp.req('Fifty one character text'), 'approved');
SELECT is(v->'data'->>'status', 'approved', 'defined -> approved works with 51 characters and 3 criteria') FROM env WHERE k = 'approve 51';
SELECT is(v->'validation'->'warnings', '[]'::jsonb, 'no warning when every criterion is testable') FROM env WHERE k = 'approve 51';
INSERT INTO env SELECT 'approve untestable', claude.update_requirement_status(pg_temp.req('Untestable criteria'), 'approved');
SELECT is(v->'data'->>'status', 'approved', 'untestable criteria do not stop the approval') FROM env WHERE k = 'approve untestable';
SELECT is(v->'validation'->'warnings',
          '["criterion \"The page loads fast\" reads as untestable (none of should, must, given, when, then)",
            "criterion \"Mustard is shouldered\" reads as untestable (none of should, must, given, when, then)"]'::jsonb,
          'a warning for each criterion without should/must/given/when/then as a word')
  FROM env WHERE k = 'approve untestable';
SELECT is(claude.untestable_criteria_warnings(ARRAY['Given a cart, when I pay, then I get a receipt', 'It MUST log', 'Should retry']),
          '{}'::text[], 'criteria with given/when/then, must or should (any case) raise no warning');
SELECT is(cardinality(claude.untestable_criteria_warnings(ARRAY['Fast', 'Pretty', 'It should work'])), 2,
          'one warning per untestable criterion');

-- ================================================================== approved -> implemented (9 tests)
DO $$
DECLARE
    n text;
BEGIN
    FOREACH n IN ARRAY ARRAY['Implement nothing', 'Implement planned', 'Implement busy', 'Implement other feature',
                             'Implement missing', 'Implement completed', 'Implement tested', 'Implement documented'] LOOP
        PERFORM pg_temp.new_req(n);
        PERFORM pg_temp.advance(n, 'approved');
    END LOOP;
END
$$;
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'implemented')$$, pg_temp.req('Implement nothing')),
                 '23514', NULL, 'approved -> implemented without a component is refused with 23514');
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'implemented', component_id => '13300000-0000-4000-8000-000000000004')$$,
                        pg_temp.req('Implement planned')),
                 '55000', NULL, 'approved -> implemented with a planned component is refused with 55000');
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'implemented', component_id => '13300000-0000-4000-8000-000000000005')$$,
                        pg_temp.req('Implement busy')),
                 '55000', NULL, 'approved -> implemented with an in_progress component is refused with 55000');
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'implemented', component_id => '13300000-0000-4000-8000-000000000008')$$,
                        pg_temp.req('Implement other feature')),
                 '23514', NULL, 'approved -> implemented with a component of another feature is refused with 23514');
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'implemented', component_id => '13300000-0000-4000-8000-0000000000ff')$$,
                        pg_temp.req('Implement missing')),
                 '23503', NULL, 'approved -> implemented with an unknown component is refused with 23503');
SELECT is(claude.update_requirement_status(pg_temp.req('Implement ' || s), 'implemented', component_id => c)->'data'->>'status',
          'implemented', format('approved -> implemented works with a %s component', s))
  FROM (VALUES ('completed', '13300000-0000-4000-8000-000000000001'::uuid),
               ('tested', '13300000-0000-4000-8000-000000000006'),
               ('documented', '13300000-0000-4000-8000-000000000007')) AS v(s, c);
SELECT is(implemented_by_component_id, '13300000-0000-4000-8000-000000000007'::uuid,
          'approved -> implemented stores the implementing component')
  FROM claude.requirements WHERE requirement_name = 'Implement documented';

-- ================================================================== implemented -> verified (12 tests)
DO $$
BEGIN
    PERFORM pg_temp.new_req('Verify untested');
    PERFORM pg_temp.advance('Verify untested', 'implemented', '13300000-0000-4000-8000-000000000003');
    PERFORM pg_temp.new_req('Verify unstarted feature', feature => '13200000-0000-4000-8000-000000000003');
    PERFORM pg_temp.advance('Verify unstarted feature', 'implemented', '13300000-0000-4000-8000-000000000009');
    PERFORM pg_temp.new_req('Verify low coverage');
    PERFORM pg_temp.advance('Verify low coverage', 'implemented', '13300000-0000-4000-8000-000000000002');
    PERFORM pg_temp.new_req('Must have one', feature => '13200000-0000-4000-8000-000000000006', must => true);
    PERFORM pg_temp.advance('Must have one', 'implemented', '13300000-0000-4000-8000-00000000000a');
    PERFORM pg_temp.new_req('Must have two', feature => '13200000-0000-4000-8000-000000000006', must => true);
    PERFORM pg_temp.advance('Must have two', 'implemented', '13300000-0000-4000-8000-00000000000a');
END
$$;
SELECT throws_ok(format($$SELECT claude.verify_requirement(%L)$$, pg_temp.req('Verify untested')),
                 '55000', NULL, 'implemented -> verified when the component has no tests is refused with 55000');
SELECT throws_ok(format($$SELECT claude.verify_requirement(%L)$$, pg_temp.req('Verify unstarted feature')),
                 '55000', NULL, 'implemented -> verified when the feature is not_started is refused with 55000');
SELECT throws_ok(format($$SELECT claude.update_requirement_status(%L, 'verified')$$, pg_temp.req('Verify unstarted feature')),
                 '55000', NULL, 'update_requirement_status to verified applies the same gate (55000)');
INSERT INTO env SELECT 'verify low', claude.verify_requirement(pg_temp.req('Verify low coverage'),
                                                              test_run_id => '13900000-0000-4000-8000-000000000001',
                                                              test_results => '{"passed": 12, "failed": 0}');
SELECT is(v->'data'->>'status', 'verified', 'verify_requirement verifies an implemented requirement') FROM env WHERE k = 'verify low';
SELECT is((v->'data'->>'verified_at')::timestamptz, now(), 'verify_requirement sets verified_at') FROM env WHERE k = 'verify low';
SELECT is(v->'data'->>'verified_by_test_run_id', '13900000-0000-4000-8000-000000000001',
          'verify_requirement stores verified_by_test_run_id') FROM env WHERE k = 'verify low';
SELECT is(v->'validation'->'warnings', '["component \"LowCoverageService\" test coverage 50.00% is below 80%"]'::jsonb,
          'verify_requirement warns when the component''s coverage is below 80%') FROM env WHERE k = 'verify low';

INSERT INTO env SELECT 'verify must 1', claude.verify_requirement(pg_temp.req('Must have one'));
SELECT is(v->'validation'->'warnings', '[]'::jsonb, 'no warning when coverage is at least 80%') FROM env WHERE k = 'verify must 1';
SELECT is(v->'metadata'->'all_must_haves_verified', 'false'::jsonb,
          'metadata all_must_haves_verified is false while another must-have is unverified') FROM env WHERE k = 'verify must 1';
INSERT INTO env SELECT 'verify must 2', claude.verify_requirement(pg_temp.req('Must have two'));
SELECT is(v->'metadata'->'all_must_haves_verified', 'true'::jsonb,
          'metadata all_must_haves_verified is true once every must-have of the feature is verified') FROM env WHERE k = 'verify must 2';
SELECT is(v->'data'->>'verified_by_test_run_id', NULL, 'verified_by_test_run_id stays empty when no test run is given')
  FROM env WHERE k = 'verify must 2';
SELECT is(status || '/' || (verified_at IS NOT NULL)::text, 'verified/true', 'the verified row has status verified and verified_at')
  FROM claude.requirements WHERE requirement_name = 'Must have two';

-- ================================================================== rejection (6 tests)
DO $$
BEGIN
    PERFORM pg_temp.new_req('Must have draft', must => true);
    PERFORM pg_temp.new_req('Must have defined', must => true);
    PERFORM pg_temp.advance('Must have defined', 'defined');
    PERFORM pg_temp.new_req('Optional draft');
    PERFORM pg_temp.new_req('Optional defined');
    PERFORM pg_temp.advance('Optional defined', 'defined');
END
$$;
-- Refused, with the must-have rule named in DETAIL as a 55000 failure.
SELECT ok(pg_temp.failure(format($$SELECT claude.update_requirement_status(%L, 'rejected', 'Too expensive')$$,
                                 pg_temp.req('Must have draft')))->'detail'->'errors'
          @> '[{"field": "must_have", "code": "55000"}]',
          'a must-have draft requirement can never be rejected (refused; DETAIL names must_have, 55000)');
SELECT ok(pg_temp.failure(format($$SELECT claude.update_requirement_status(%L, 'rejected', 'Too expensive')$$,
                                 pg_temp.req('Must have defined')))->'detail'->'errors'
          @> '[{"field": "must_have", "code": "55000"}]',
          'a must-have defined requirement can never be rejected (refused; DETAIL names must_have, 55000)');
SELECT ok(pg_temp.failure($$UPDATE claude.requirements SET status = 'rejected' WHERE requirement_name = 'Must have draft'$$)
              ->'detail'->'errors' @> '[{"field": "must_have", "code": "55000"}]',
          'raw UPDATE rejecting a must-have requirement is refused (DETAIL names must_have, 55000)');
SELECT is(claude.update_requirement_status(pg_temp.req('Optional draft'), 'rejected', 'Too expensive')->'data'->>'status',
          'rejected', 'a draft requirement that is not a must-have can be rejected');
SELECT is(claude.update_requirement_status(pg_temp.req('Optional defined'), 'rejected', 'Too expensive')->'data'->>'status',
          'rejected', 'a defined requirement that is not a must-have can be rejected');
SELECT throws_ok($$UPDATE claude.requirements SET must_have = true WHERE requirement_name = 'Optional draft'$$,
                 '23514', NULL, 'a rejected requirement cannot become a must-have (23514)');

-- ================================================================== update_requirement (9 tests)
INSERT INTO env SELECT 'edit', claude.update_requirement(pg_temp.req('Single criterion'),
    '{"requirement_name": "Single criterion renamed", "description": "A longer and clearer description of it.",
      "acceptance_criteria": ["It should work", "It must not crash"], "priority": 2, "must_have": true}');
SELECT is(v->'data'->>'requirement_name', 'Single criterion renamed', 'update_requirement renames') FROM env WHERE k = 'edit';
SELECT is(v->'data'->'acceptance_criteria', '["It should work", "It must not crash"]'::jsonb,
          'update_requirement replaces the acceptance criteria') FROM env WHERE k = 'edit';
SELECT is((v->'data'->>'priority') || '/' || (v->'data'->>'must_have') || '/' || (v->'data'->>'description'),
          '2/true/A longer and clearer description of it.', 'update_requirement sets priority, must_have and description')
  FROM env WHERE k = 'edit';
SELECT throws_ok(format($$SELECT claude.update_requirement(%L, '{"status": "defined"}')$$, pg_temp.req('Single criterion renamed')),
                 '23514', NULL, 'update_requirement refuses a status change with 23514');
SELECT throws_ok(format($$SELECT claude.update_requirement(%L, '{"colour": "blue"}')$$, pg_temp.req('Single criterion renamed')),
                 '23514', NULL, 'update_requirement refuses an unknown key with 23514');
SELECT is(pg_temp.failed_fields(format($$SELECT claude.update_requirement(%L, '{"status": "defined", "colour": "blue"}')$$,
                                       pg_temp.req('Single criterion renamed'))),
          ARRAY['colour', 'status'], 'update_requirement lists both the status key and the unknown key in DETAIL');
SELECT throws_ok(format($$SELECT claude.update_requirement(%L, '{"verified_at": "2020-01-01T00:00:00Z"}')$$, pg_temp.req('Single criterion renamed')),
                 '23514', NULL, 'update_requirement refuses verified_at (set by the database) with 23514');
SELECT throws_ok(format($$SELECT claude.update_requirement(%L, '{"acceptance_criteria": []}')$$, pg_temp.req('Single criterion renamed')),
                 '23514', NULL, 'update_requirement refuses emptying the acceptance criteria with 23514');
SELECT throws_ok(format($$SELECT claude.update_requirement(%L, '{"description": "short"}')$$, pg_temp.req('Single criterion renamed')),
                 '23514', NULL, 'update_requirement refuses a description under 20 characters with 23514');

-- ================================================================== missing requirement (3 tests)
SELECT throws_ok(format(c, '13400000-0000-4000-8000-0000000000ff'), 'P0002', NULL,
                 format('%s on a missing requirement id raises P0002', f))
  FROM (VALUES
      ('update_requirement',        $$SELECT claude.update_requirement(%L, '{"priority": 3}')$$),
      ('update_requirement_status', $$SELECT claude.update_requirement_status(%L, 'defined')$$),
      ('verify_requirement',        $$SELECT claude.verify_requirement(%L)$$)
  ) AS v(f, c);

SELECT * FROM finish();
ROLLBACK;
