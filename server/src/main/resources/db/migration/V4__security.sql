-- The server's CA certificate: every server sharing this database must hold the same CA key.
CREATE TABLE server_ca (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  fingerprint VARCHAR(64) NOT NULL,
  certificate TEXT NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Operator tokens (kind "operator", with a role) and agent enrollment tokens (kind "enroll").
-- Only the SHA-256 of each token's secret is stored.
CREATE TABLE token (
  id            VARCHAR(32) PRIMARY KEY,
  kind          VARCHAR(16) NOT NULL,
  role          VARCHAR(16) NOT NULL DEFAULT '',
  name          VARCHAR(200) NOT NULL DEFAULT '',
  secret_sha256 VARCHAR(64) NOT NULL,
  -- JSON object of label -> value given to hosts enrolled with the token
  labels        TEXT NOT NULL DEFAULT '{}',
  -- enrollments left; NULL for operator tokens
  uses_left     INTEGER,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by    VARCHAR(200) NOT NULL,
  expires_at    TIMESTAMP WITH TIME ZONE,
  revoked_at    TIMESTAMP WITH TIME ZONE
);

-- Client certificates issued to agents; the host name is the certificate's subject.
CREATE TABLE agent_certificate (
  serial     VARCHAR(40) PRIMARY KEY,
  host       VARCHAR(253) NOT NULL,
  key_sha256 VARCHAR(64) NOT NULL,
  -- JSON object of label -> value fixed at enrollment (from the token)
  labels     TEXT NOT NULL DEFAULT '{}',
  issued_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  not_after  TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX agent_certificate_host ON agent_certificate (host);

-- A second enrollment under a host name that is already enrolled waits for "drover host approve".
CREATE TABLE enrollment_request (
  host         VARCHAR(253) NOT NULL,
  key_sha256   VARCHAR(64) NOT NULL,
  labels       TEXT NOT NULL DEFAULT '{}',
  token_id     VARCHAR(32) NOT NULL,
  peer         VARCHAR(200) NOT NULL DEFAULT '',
  requested_at TIMESTAMP WITH TIME ZONE NOT NULL,
  approved_at  TIMESTAMP WITH TIME ZONE,
  approved_by  VARCHAR(200),
  PRIMARY KEY (host, key_sha256)
);

-- Every mutating operator call and every enrollment. Append-only: the trigger below refuses
-- UPDATE and DELETE.
CREATE TABLE audit_log (
  id       BIGSERIAL PRIMARY KEY,
  at       TIMESTAMP WITH TIME ZONE NOT NULL,
  actor    VARCHAR(300) NOT NULL,
  method   VARCHAR(200) NOT NULL,
  target   VARCHAR(500) NOT NULL,
  outcome  VARCHAR(64) NOT NULL,
  peer     VARCHAR(200) NOT NULL,
  revision BIGINT NOT NULL DEFAULT 0
);

-- [jooq ignore start]
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
-- [jooq ignore stop]
