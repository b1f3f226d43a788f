-- Deploy buildtracker:api_tokens to pg
-- requires: background_jobs
-- Bearer tokens for the REST API: stored only as SHA-256 hashes, each mapped
-- to an identity (the actor of its writes) and to the database role its
-- requests run as (reader or writer), revocable.
BEGIN;
-- Fail fast instead of queueing behind (and blocking) live traffic.
SET LOCAL lock_timeout = '10s';
SET LOCAL statement_timeout = '10min';
SET LOCAL ROLE buildtracker_owner;

CREATE TABLE claude.api_tokens (
    token_id    uuid        NOT NULL DEFAULT gen_random_uuid(),
    identity_id uuid        NOT NULL,
    token_hash  text        NOT NULL,
    access      text        NOT NULL DEFAULT 'writer',
    label       text,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_tokens_pkey PRIMARY KEY (token_id),
    CONSTRAINT uq_api_tokens_hash UNIQUE (token_hash),
    CONSTRAINT fk_api_tokens_identity FOREIGN KEY (identity_id)
        REFERENCES claude.identities (identity_id) ON DELETE CASCADE,
    CONSTRAINT chk_api_tokens_access CHECK (access IN ('reader', 'writer'))
);

CREATE TRIGGER bt10_touch_timestamps
    BEFORE INSERT OR UPDATE ON claude.api_tokens
    FOR EACH ROW EXECUTE FUNCTION claude.touch_timestamps();

-- Token hashes are nobody's business but the owner's.
REVOKE ALL ON claude.api_tokens FROM buildtracker_reader;

COMMENT ON TABLE claude.api_tokens IS 'REST API bearer tokens, stored as SHA-256 hashes; each acts as an identity with reader or writer access.';
COMMENT ON COLUMN claude.api_tokens.token_id IS 'Primary key (shown to admins; the token itself is shown once, at creation).';
COMMENT ON COLUMN claude.api_tokens.identity_id IS 'The identity the token acts as: the actor of its writes; deleting the identity deletes its tokens.';
COMMENT ON COLUMN claude.api_tokens.token_hash IS 'Hex SHA-256 of the token; the token itself is never stored.';
COMMENT ON COLUMN claude.api_tokens.access IS 'reader or writer: the database role the token''s requests run as.';
COMMENT ON COLUMN claude.api_tokens.label IS 'Free-form note (what the token is for).';
COMMENT ON COLUMN claude.api_tokens.revoked_at IS 'When the token was revoked; a revoked token authenticates nothing.';
COMMENT ON COLUMN claude.api_tokens.created_at IS 'When the row was inserted (set by the database).';
COMMENT ON COLUMN claude.api_tokens.updated_at IS 'When the row was last written (set by the database).';
COMMENT ON CONSTRAINT uq_api_tokens_hash ON claude.api_tokens IS 'token_hash is already used';
COMMENT ON CONSTRAINT fk_api_tokens_identity ON claude.api_tokens IS 'identity_id does not name an existing identity';
COMMENT ON CONSTRAINT chk_api_tokens_access ON claude.api_tokens IS 'access must be reader or writer';

CREATE FUNCTION claude.create_api_token(identity_id uuid, access text DEFAULT 'writer', label text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    token text := 'bt_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
    created claude.api_tokens;
    errors jsonb := '[]'::jsonb;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM claude.identities i WHERE i.identity_id = create_api_token.identity_id) THEN
        errors := errors || claude.err('identity_id', 'identity_id does not name an existing identity', '23503');
    END IF;
    IF access IS NULL OR access NOT IN ('reader', 'writer') THEN
        errors := errors || claude.err('access', 'access must be reader or writer');
    END IF;
    PERFORM claude.raise_errors(errors, 'cannot create an API token');
    INSERT INTO claude.api_tokens AS t (identity_id, token_hash, access, label)
    VALUES (create_api_token.identity_id, encode(sha256(convert_to(token, 'UTF8')), 'hex'),
            create_api_token.access, create_api_token.label)
    RETURNING t.* INTO created;
    RETURN jsonb_build_object('token_id', created.token_id, 'token', token, 'identity_id', created.identity_id,
                              'access', created.access, 'label', created.label, 'created_at', created.created_at);
END
$$;
COMMENT ON FUNCTION claude.create_api_token(uuid, text, text) IS
    'Admin only (owner): creates a bearer token for an identity with reader or writer access; returns the token once (only its hash is kept). Errors: 23514, 23503.';

CREATE FUNCTION claude.revoke_api_token(token_id uuid)
RETURNS boolean
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH revoked AS (
        UPDATE claude.api_tokens AS t SET revoked_at = now()
         WHERE t.token_id = revoke_api_token.token_id AND t.revoked_at IS NULL
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM revoked);
END;
COMMENT ON FUNCTION claude.revoke_api_token(uuid) IS
    'Admin only (owner): revokes a token; true when it was active.';

CREATE FUNCTION claude.authenticate_api_token(token text)
RETURNS TABLE (token_id uuid, identity_id uuid, identity_name text, access text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT t.token_id, t.identity_id, i.identity_name, t.access
      FROM claude.api_tokens t JOIN claude.identities i ON i.identity_id = t.identity_id
     WHERE t.token_hash = encode(sha256(convert_to(authenticate_api_token.token, 'UTF8')), 'hex')
       AND t.revoked_at IS NULL;
END;
COMMENT ON FUNCTION claude.authenticate_api_token(text) IS
    'The identity and access of an active token (no row for an unknown or revoked one).';

GRANT EXECUTE ON FUNCTION claude.authenticate_api_token(text) TO buildtracker_reader;

COMMIT;
