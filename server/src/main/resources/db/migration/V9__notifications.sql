-- Webhooks operators add with `drover notify add`, the events the leader detects, and each event's
-- delivery to each webhook (retried with capped backoff). An event's dedupe_key makes recording it
-- idempotent, so a leader change neither loses nor repeats it.
CREATE TABLE notify_target (
  id         BIGSERIAL PRIMARY KEY,
  url_sealed TEXT         NOT NULL,
  url_shown  TEXT         NOT NULL,
  events     TEXT         NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE notify_event (
  id         BIGSERIAL PRIMARY KEY,
  kind       VARCHAR(32)  NOT NULL,
  app        VARCHAR(64)  NOT NULL DEFAULT '',
  host       VARCHAR(253) NOT NULL DEFAULT '',
  text       TEXT         NOT NULL,
  dedupe_key VARCHAR(400) NOT NULL UNIQUE,
  at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE notify_delivery (
  event_id        BIGINT      NOT NULL REFERENCES notify_event (id) ON DELETE CASCADE,
  target_id       BIGINT      NOT NULL REFERENCES notify_target (id) ON DELETE CASCADE,
  state           VARCHAR(16) NOT NULL,
  attempts        INTEGER     NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_error      TEXT        NOT NULL DEFAULT '',
  sent_at         TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (event_id, target_id)
);

CREATE INDEX notify_delivery_due ON notify_delivery (next_attempt_at) WHERE state = 'pending';
