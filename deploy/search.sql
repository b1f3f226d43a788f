-- Deploy buildtracker:search to pg
-- requires: comments
-- SPEC section 10: search(query, project_id, max_rows) over names,
-- descriptions, acceptance criteria and comments, best first. Full text in
-- English (stemming: "blocking" finds "blocked"), names weighted above the
-- rest; each table has a GIN index over the same expression the query uses.
BEGIN;
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

-- PL/pgSQL, IMMUTABLE: usable in an index expression (array_to_string is
-- only STABLE, so a SQL body would not be inlined and test 23 wants every
-- scalar SQL function inlinable)
CREATE FUNCTION claude.search_vector(name text, body text, extra text[] DEFAULT NULL)
RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN setweight(to_tsvector('english'::regconfig, COALESCE(name, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(body, '') || ' ' || COALESCE(array_to_string(extra, ' '), '')), 'B');
END
$$;
COMMENT ON FUNCTION claude.search_vector(text, text, text[]) IS
    'The searchable text of a row: its name (weight A) and its description, body or acceptance criteria (weight B), English full text.';

CREATE INDEX idx_features_search ON claude.features USING gin (claude.search_vector(feature_name, description));
CREATE INDEX idx_tasks_search ON claude.build_tasks USING gin (claude.search_vector(task_name, task_description));
CREATE INDEX idx_components_search ON claude.components USING gin (claude.search_vector(component_name, file_path));
CREATE INDEX idx_requirements_search ON claude.requirements
    USING gin (claude.search_vector(requirement_name, description, acceptance_criteria));
CREATE INDEX idx_comments_search ON claude.comments USING gin (claude.search_vector(NULL, body));
COMMENT ON INDEX claude.idx_features_search IS 'Full text of features (search).';
COMMENT ON INDEX claude.idx_tasks_search IS 'Full text of tasks (search).';
COMMENT ON INDEX claude.idx_components_search IS 'Full text of components: name and file path (search).';
COMMENT ON INDEX claude.idx_requirements_search IS 'Full text of requirements with their acceptance criteria (search).';
COMMENT ON INDEX claude.idx_comments_search IS 'Full text of comments (search).';

CREATE FUNCTION claude.search(query text, project_id uuid DEFAULT NULL, max_rows integer DEFAULT 20)
RETURNS TABLE (entity_type text, entity_id uuid, title text, snippet text, rank real)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q tsquery;
    wanted integer := LEAST(GREATEST(COALESCE(max_rows, 20), 0), 100);
BEGIN
    IF claude.too_short(query, 1) OR char_length(query) > 1000 THEN
        PERFORM claude.raise_errors(claude.err('query', 'query must be 1-1000 characters'), 'cannot search');
    END IF;
    -- websearch syntax: words, "a phrase", or, -not; never a syntax error
    q := websearch_to_tsquery('english'::regconfig, query);
    IF numnode(q) = 0 THEN
        RETURN;  -- only stop words: nothing to look for
    END IF;
    RETURN QUERY
    WITH hits AS (
        SELECT 'feature'::text AS kind, f.feature_id AS id, f.feature_name AS name, f.description AS body,
               ts_rank(claude.search_vector(f.feature_name, f.description), q) AS score
          FROM claude.features f
         WHERE claude.search_vector(f.feature_name, f.description) @@ q
           AND (search.project_id IS NULL OR f.project_id = search.project_id)
        UNION ALL
        SELECT 'build_task', t.task_id, t.task_name, t.task_description,
               ts_rank(claude.search_vector(t.task_name, t.task_description), q)
          FROM claude.build_tasks t
         WHERE claude.search_vector(t.task_name, t.task_description) @@ q
           AND (search.project_id IS NULL
                OR t.feature_id IN (SELECT f.feature_id FROM claude.features f WHERE f.project_id = search.project_id))
        UNION ALL
        SELECT 'component', c.component_id, c.component_name, c.file_path,
               ts_rank(claude.search_vector(c.component_name, c.file_path), q)
          FROM claude.components c
         WHERE claude.search_vector(c.component_name, c.file_path) @@ q
           AND (search.project_id IS NULL
                OR c.feature_id IN (SELECT f.feature_id FROM claude.features f WHERE f.project_id = search.project_id))
        UNION ALL
        SELECT 'requirement', r.requirement_id, r.requirement_name,
               concat_ws(' ', r.description, array_to_string(r.acceptance_criteria, '; ')),
               ts_rank(claude.search_vector(r.requirement_name, r.description, r.acceptance_criteria), q)
          FROM claude.requirements r
         WHERE claude.search_vector(r.requirement_name, r.description, r.acceptance_criteria) @@ q
           AND (search.project_id IS NULL
                OR r.feature_id IN (SELECT f.feature_id FROM claude.features f WHERE f.project_id = search.project_id))
        UNION ALL
        -- a comment is reported as the entity it is about
        SELECT c.entity_type, c.entity_id, 'Comment on ' || COALESCE(e.entity_name, 'a deleted ' || c.entity_type), c.body,
               ts_rank(claude.search_vector(NULL, c.body), q)
          FROM claude.comments c
          LEFT JOIN LATERAL claude.entity_project(c.entity_type, c.entity_id) e ON true
         WHERE claude.search_vector(NULL, c.body) @@ q
           AND (search.project_id IS NULL OR e.project_id = search.project_id)),
    best AS (
        SELECT * FROM hits ORDER BY score DESC, kind, id LIMIT wanted)
    -- the snippet only for the rows returned: ts_headline reads the whole text
    SELECT b.kind, b.id, b.name,
           ts_headline('english'::regconfig, concat_ws(': ', b.name, NULLIF(b.body, '')), q,
                       'MaxFragments=2, MaxWords=20, MinWords=5, StartSel=**, StopSel=**'),
           b.score
      FROM best b
     ORDER BY b.score DESC, b.kind, b.id;
END
$$;
COMMENT ON FUNCTION claude.search(text, uuid, integer) IS
    'Full-text search (websearch_to_tsquery syntax: words, "phrases", or, -word) over the names, descriptions and acceptance criteria of features, tasks, components and requirements, and over comments (reported as the entity they are about), optionally within one project; best first (ts_rank, names weigh more), with a snippet marking the hits in **. max_rows 0-100, default 20. Errors: 23514 (query of 1-1000 characters).';

GRANT EXECUTE ON FUNCTION claude.search(text, uuid, integer) TO buildtracker_reader;

COMMIT;
