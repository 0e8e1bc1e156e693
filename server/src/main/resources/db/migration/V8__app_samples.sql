-- What agents last reported of each app on each host, and the requests nginx answered for it added
-- up since the row was made (by status class 1xx..5xx; durations per bucket of
-- io.drover.metrics.RequestBuckets). Written in batches by the server holding the host's stream,
-- read by every server: the fleet-wide request metrics and `drover top`.
CREATE TABLE app_sample (
  app              VARCHAR(64)      NOT NULL,
  host             VARCHAR(253)     NOT NULL REFERENCES host (name) ON DELETE CASCADE,
  requests         BIGINT[]         NOT NULL,
  upstream_errors  BIGINT           NOT NULL,
  duration_buckets BIGINT[]         NOT NULL,
  duration_sum     DOUBLE PRECISION NOT NULL,
  cpu_seconds      DOUBLE PRECISION NOT NULL,
  rss_bytes        BIGINT           NOT NULL,
  workers          INTEGER          NOT NULL,
  restarts         BIGINT           NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (app, host)
);
