-- Revert buildtracker:legacy_import from pg
-- Takes the imported rows out again (the old tables are still in
-- claude_legacy; reverting the change schema puts them back in claude).
BEGIN;

DO $revert$
BEGIN
    IF to_regnamespace('claude_legacy') IS NOT NULL THEN
        ALTER TABLE claude.features DISABLE TRIGGER USER;
        ALTER TABLE claude.components DISABLE TRIGGER USER;
        ALTER TABLE claude.build_tasks DISABLE TRIGGER USER;
        ALTER TABLE claude.requirements DISABLE TRIGGER USER;
        ALTER TABLE claude.activity_feed DISABLE TRIGGER USER;
        -- rows carrying the ids of legacy rows, and the rows the import wrote
        DELETE FROM claude.activity_feed a
         WHERE a.changes ? 'legacy_import'
            OR (to_regclass('claude_legacy.activity_feed') IS NOT NULL
                AND a.id IN (SELECT (x.j->>'id')::uuid FROM (SELECT to_jsonb(l) AS j FROM claude_legacy.activity_feed l) x));
        DELETE FROM claude.requirements r WHERE r.requirement_id IN (SELECT (to_jsonb(l)->>'requirement_id')::uuid FROM claude_legacy.requirements l);
        DELETE FROM claude.build_tasks t WHERE t.task_id IN (SELECT (to_jsonb(l)->>'task_id')::uuid FROM claude_legacy.build_tasks l);
        DELETE FROM claude.components c WHERE c.component_id IN (SELECT (to_jsonb(l)->>'component_id')::uuid FROM claude_legacy.components l);
        DELETE FROM claude.features f WHERE f.feature_id IN (SELECT (to_jsonb(l)->>'feature_id')::uuid FROM claude_legacy.features l);
        DELETE FROM claude.identities i WHERE i.identity_id IN (SELECT (to_jsonb(l)->>'identity_id')::uuid FROM claude_legacy.identities l);
        DELETE FROM claude.projects p WHERE p.project_id IN (SELECT (to_jsonb(l)->>'project_id')::uuid FROM claude_legacy.projects l);
        ALTER TABLE claude.features ENABLE TRIGGER USER;
        ALTER TABLE claude.components ENABLE TRIGGER USER;
        ALTER TABLE claude.build_tasks ENABLE TRIGGER USER;
        ALTER TABLE claude.requirements ENABLE TRIGGER USER;
        ALTER TABLE claude.activity_feed ENABLE TRIGGER USER;
    END IF;
END
$revert$;

DROP TABLE claude.legacy_quarantine;

COMMIT;
