-- Deploy buildtracker:project_functions to pg
-- requires: requirement_rules
-- Projects and identities: their rule triggers (constraints reported as one
-- error list), add_project and add_identity, and the shared helpers every
-- workflow function uses (status guard, changes applier).
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE FUNCTION claude.enforce_project_rules()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM claude.raise_errors(claude.check_projects_constraints(NEW, OLD),
        format('cannot save project "%s"', NEW.project_name));
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION claude.enforce_project_rules() IS
    'Trigger: reports every failed constraint of a project row in one exception.';
CREATE TRIGGER bt20_enforce_rules
    BEFORE INSERT OR UPDATE ON claude.projects
    FOR EACH ROW EXECUTE FUNCTION claude.enforce_project_rules();

CREATE FUNCTION claude.enforce_identity_rules()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM claude.raise_errors(claude.check_identities_constraints(NEW, OLD),
        format('cannot save identity "%s"', NEW.identity_name));
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION claude.enforce_identity_rules() IS
    'Trigger: reports every failed constraint of an identity row in one exception.';
CREATE TRIGGER bt20_enforce_rules
    BEFORE INSERT OR UPDATE ON claude.identities
    FOR EACH ROW EXECUTE FUNCTION claude.enforce_identity_rules();

CREATE FUNCTION claude.add_project(project_name text, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    created claude.projects;
BEGIN
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.projects AS p (project_name) VALUES (btrim(add_project.project_name)) RETURNING p.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created));
END
$$;
COMMENT ON FUNCTION claude.add_project(text, text) IS
    'Creates a project (name unique, not blank). Errors: 23514.';

CREATE FUNCTION claude.add_identity(identity_name text, actor text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    created claude.identities;
BEGIN
    PERFORM claude.begin_call(actor);
    INSERT INTO claude.identities AS i (identity_name) VALUES (btrim(add_identity.identity_name)) RETURNING i.* INTO created;
    PERFORM claude.end_call();
    RETURN claude.envelope(to_jsonb(created));
END
$$;
COMMENT ON FUNCTION claude.add_identity(text, text) IS
    'Creates an identity: a person or agent who does work (name unique, not blank). Errors: 23514.';

GRANT EXECUTE ON FUNCTION claude.add_project(text, text), claude.add_identity(text, text) TO buildtracker_writer;

COMMIT;
