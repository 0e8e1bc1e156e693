-- The last revision that rolled out to every host: a failed rollout reverts to it.
ALTER TABLE app ADD COLUMN good_revision BIGINT NOT NULL DEFAULT 0;
UPDATE app SET good_revision = current_revision;

-- Who stored a revision (empty until operators have identities), and what a rollback copied.
ALTER TABLE revision ADD COLUMN created_by VARCHAR(128) NOT NULL DEFAULT '';
ALTER TABLE revision ADD COLUMN rollback_of BIGINT NOT NULL DEFAULT 0;

-- One rolling release of an app to a revision; the newest per app is the one that counts.
CREATE TABLE rollout (
  app                VARCHAR(64) NOT NULL REFERENCES app (name),
  revision           BIGINT NOT NULL,
  from_revision      BIGINT NOT NULL,
  -- running, succeeded, failed, reverted, superseded, cancelled
  state              VARCHAR(16) NOT NULL,
  max_parallel       INTEGER NOT NULL,
  min_healthy_millis BIGINT NOT NULL,
  deadline_millis    BIGINT NOT NULL,
  auto_revert        BOOLEAN NOT NULL,
  reason             TEXT NOT NULL DEFAULT '',
  started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at        TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (app, revision)
);
CREATE INDEX rollout_state ON rollout (state);

-- One host's move to the rollout's revision: at most one per host and revision.
CREATE TABLE rollout_step (
  app           VARCHAR(64) NOT NULL,
  revision      BIGINT NOT NULL,
  host          VARCHAR(253) NOT NULL,
  -- updating, done, failed
  state         VARCHAR(16) NOT NULL,
  started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  healthy_since TIMESTAMP WITH TIME ZONE,
  reason        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (app, revision, host),
  FOREIGN KEY (app, revision) REFERENCES rollout (app, revision)
);

-- Set once a down host's apps were placed elsewhere; cleared when its agent says Hello again.
ALTER TABLE host ADD COLUMN lost BOOLEAN NOT NULL DEFAULT FALSE;

-- The leader lease: one row; a new holder bumps the epoch, which fences the previous one.
CREATE TABLE leader_lease (
  name       VARCHAR(32) PRIMARY KEY,
  holder     VARCHAR(64) NOT NULL,
  epoch      BIGINT NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO leader_lease (name, holder, epoch, expires_at) VALUES ('drover', '', 0, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
