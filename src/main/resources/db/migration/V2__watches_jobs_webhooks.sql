-- Images the server scans by itself, the scan jobs that does, and the webhooks told about changes.

-- A repository (every tag, or the tags matching a pattern) or one image reference, checked on a schedule.
CREATE TABLE watches (
    id               ${identity},
    application      TEXT        NOT NULL,
    reference        TEXT        NOT NULL,
    tag_pattern      TEXT,
    deployment_model TEXT        NOT NULL CHECK (deployment_model IN ('function', 'container', 'vm')),
    interval_seconds BIGINT      NOT NULL CHECK (interval_seconds >= 60),
    created_at       TIMESTAMPTZ NOT NULL,
    created_by       TEXT        NOT NULL,
    last_checked_at  TIMESTAMPTZ,
    last_error       TEXT
);

-- The digest behind each tag when it was last scanned: a different digest means a rescan.
CREATE TABLE watch_digests (
    watch_id   BIGINT      NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    tag        TEXT        NOT NULL,
    digest     TEXT        NOT NULL,
    scanned_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (watch_id, tag)
);

-- A scan the server runs. A worker claims a job with a lease it renews while it works; a job whose
-- lease ran out (its worker died) is claimed again. A job is done in the transaction that stores its scan.
CREATE TABLE scan_jobs (
    id               ${identity},
    watch_id         BIGINT REFERENCES watches (id) ON DELETE SET NULL,
    application      TEXT        NOT NULL,
    target           TEXT        NOT NULL,
    deployment_model TEXT        NOT NULL,
    reference        TEXT        NOT NULL,
    tag              TEXT,
    digest           TEXT,
    state            TEXT        NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts         INTEGER     NOT NULL,
    not_before       TIMESTAMPTZ NOT NULL,
    worker           TEXT,
    lease_until      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    scan_id          BIGINT REFERENCES scans (id) ON DELETE SET NULL,
    error            TEXT
);
CREATE INDEX scan_jobs_by_state ON scan_jobs (state, not_before);

CREATE TABLE webhooks (
    id         ${identity},
    url        TEXT        NOT NULL,
    -- kept in clear: each delivery is signed with it
    secret     TEXT        NOT NULL,
    format     TEXT        NOT NULL CHECK (format IN ('palisade', 'slack')),
    events     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT        NOT NULL,
    deleted_at TIMESTAMPTZ
);

-- Every delivery attempt and what the receiver answered.
CREATE TABLE webhook_deliveries (
    id          ${identity},
    webhook_id  BIGINT      NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    delivery_id TEXT        NOT NULL,
    attempt     INTEGER     NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    status      INTEGER,
    error       TEXT,
    delivered   BOOLEAN     NOT NULL,
    final       BOOLEAN     NOT NULL
);
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);

-- Overdue-patch notices already sent, so each finding is announced overdue once.
CREATE TABLE overdue_notices (
    finding_id BIGINT      NOT NULL PRIMARY KEY REFERENCES findings (id) ON DELETE CASCADE,
    sent_at    TIMESTAMPTZ NOT NULL
);

-- What the server remembers about itself: the Palisade version that last matched the stored inventories.
CREATE TABLE server_meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
