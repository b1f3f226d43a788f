-- Verify buildtracker:requirement_rules on pg
BEGIN;
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.enforce_requirement_rules()'::regprocedure AND prosrc LIKE '%cannot become must-have%';
SELECT 1 / count(*) FROM pg_trigger WHERE tgname = 'bt20_enforce_rules' AND tgrelid = 'claude.requirements'::regclass;
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.untestable_criteria_warnings(text[])'::regprocedure AND prolang = (SELECT oid FROM pg_language WHERE lanname = 'plpgsql');
-- dollar quotes and strpos: the check reads the same whatever standard_conforming_strings says
SELECT 1 / count(*) FROM pg_proc
 WHERE oid = 'claude.untestable_criteria_warnings(text[])'::regprocedure AND strpos(prosrc, $v$E'\\m(should$v$) > 0;
ROLLBACK;
