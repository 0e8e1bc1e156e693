-- Desired state: apps and their numbered revisions.
CREATE TABLE app (
  name             VARCHAR(64) PRIMARY KEY,
  current_revision BIGINT NOT NULL,
  deleted          BOOLEAN NOT NULL DEFAULT FALSE,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE revision (
  app        VARCHAR(64) NOT NULL REFERENCES app (name),
  revision   BIGINT NOT NULL,
  -- the AppSpec in the proto3 JSON mapping
  spec       TEXT NOT NULL,
  -- sha256 of the canonical spec bytes: equal specs, equal hashes
  spec_hash  VARCHAR(64) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (app, revision)
);

-- Hosts, as their agents registered them.
CREATE TABLE host (
  name       VARCHAR(253) PRIMARY KEY,
  -- JSON object of label -> value
  labels     TEXT NOT NULL,
  -- HostFacts in the proto3 JSON mapping
  facts      TEXT NOT NULL,
  -- "up" while an agent stream is open on some server, "down" otherwise
  state      VARCHAR(16) NOT NULL,
  -- id of the agent stream that last said Hello: only that stream may mark the host down
  session    VARCHAR(64) NOT NULL DEFAULT '',
  last_seen  TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Which app revision each host should run, and what its agent last reported.
CREATE TABLE assignment (
  app             VARCHAR(64) NOT NULL REFERENCES app (name),
  host            VARCHAR(253) NOT NULL REFERENCES host (name),
  revision        BIGINT NOT NULL,
  -- false once the app is deleted or moved away: the row stays until the agent reports it removed
  desired         BOOLEAN NOT NULL DEFAULT TRUE,
  reported_revision BIGINT NOT NULL DEFAULT 0,
  -- pending, starting, running, failed (as the agent last reported)
  state           VARCHAR(16) NOT NULL DEFAULT 'pending',
  healthy         BOOLEAN NOT NULL DEFAULT FALSE,
  reason          TEXT NOT NULL DEFAULT '',
  -- JSON array of the last log lines the agent reported
  log_tail        TEXT NOT NULL DEFAULT '[]',
  updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (app, host)
);
CREATE INDEX assignment_host ON assignment (host);

-- App bundles, content-addressed.
CREATE TABLE bundle (
  sha256     VARCHAR(64) PRIMARY KEY,
  size       BIGINT NOT NULL,
  data       BYTEA NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
