-- Deploy buildtracker:labels to pg
-- requires: id_resolution
-- requires: generated_functions
-- SPEC section 10: labels on features and tasks, the filter agents pick
-- work by (claim_next_task(labels), get_ready_tasks(labels)). A label is a
-- short lower-case word; the CHECK names the rule and the generated checkers
-- report it with every other failed check of the row.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

-- PL/pgSQL, not SQL: a CHECK calls it once per written row, and an inlined
-- SQL body with a subquery would not be allowed in a CHECK anyway
CREATE FUNCTION claude.labels_valid(labels text[])
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF labels IS NULL THEN
        RETURN false;
    END IF;
    -- no labels, the common case (every CHECK of a written row calls this):
    -- answered without running the query below
    IF labels = '{}' THEN
        RETURN true;
    END IF;
    -- every label 1-50 characters of a-z 0-9 : _ . -, starting with a letter
    -- or digit; no label twice; no null element; one dimension
    RETURN COALESCE(array_ndims(labels), 1) = 1
       AND NOT EXISTS (SELECT 1 FROM unnest(labels) l
                        WHERE l IS NULL OR char_length(l) > 50 OR l !~ '^[a-z0-9][a-z0-9:_.-]*$')
       AND (SELECT count(DISTINCT l) FROM unnest(labels) l) = cardinality(labels);
END
$$;
COMMENT ON FUNCTION claude.labels_valid(text[]) IS
    'Whether a label list is valid: each label 1-50 characters matching ^[a-z0-9][a-z0-9:_.-]*$, none twice, no nulls.';

-- A constant default: PostgreSQL 11+ adds the column without rewriting the table.
ALTER TABLE claude.features ADD COLUMN labels text[] NOT NULL DEFAULT '{}';
ALTER TABLE claude.build_tasks ADD COLUMN labels text[] NOT NULL DEFAULT '{}';
COMMENT ON COLUMN claude.features.labels IS 'Labels: lower-case words (a-z 0-9 : _ . -), 1-50 characters each, no duplicates.';
COMMENT ON COLUMN claude.build_tasks.labels IS 'Labels: lower-case words (a-z 0-9 : _ . -), 1-50 characters each, no duplicates; claim_next_task and get_ready_tasks filter by them.';

-- Every existing row holds '{}', which is valid. ADD COLUMN above already holds
-- the tables' lock in this transaction, so validating here blocks nothing more.
ALTER TABLE claude.features ADD CONSTRAINT chk_feature_labels CHECK (claude.labels_valid(labels)) NOT VALID;
ALTER TABLE claude.build_tasks ADD CONSTRAINT chk_task_labels CHECK (claude.labels_valid(labels)) NOT VALID;
-- squawk-ignore constraint-missing-not-valid
ALTER TABLE claude.features VALIDATE CONSTRAINT chk_feature_labels;
-- squawk-ignore constraint-missing-not-valid
ALTER TABLE claude.build_tasks VALIDATE CONSTRAINT chk_task_labels;
COMMENT ON CONSTRAINT chk_feature_labels ON claude.features IS
    'labels must each be 1-50 characters of a-z, 0-9, colon, underscore, dot or hyphen, starting with a letter or digit, and none may repeat';
COMMENT ON CONSTRAINT chk_task_labels ON claude.build_tasks IS
    'labels must each be 1-50 characters of a-z, 0-9, colon, underscore, dot or hyphen, starting with a letter or digit, and none may repeat';

-- "carries all of these labels" (labels @> ARRAY[...]) uses these
CREATE INDEX idx_features_labels ON claude.features USING gin (labels);
CREATE INDEX idx_tasks_labels ON claude.build_tasks USING gin (labels);
COMMENT ON INDEX claude.idx_features_labels IS 'Features carrying given labels (labels @> ...).';
COMMENT ON INDEX claude.idx_tasks_labels IS 'Tasks carrying given labels (labels @> ...): the label filter of the ready queue and the claim.';

-- the checkers and row_changes know the new columns
DO $$ BEGIN PERFORM claude.rebuild_generated(); END $$;

COMMIT;
