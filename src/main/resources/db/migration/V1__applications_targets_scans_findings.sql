-- palisade server: applications, their targets, the inventories stored for them and what was matched.

CREATE TABLE applications (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE targets (
    id               BIGSERIAL PRIMARY KEY,
    application_id   BIGINT      NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    name             TEXT        NOT NULL,
    deployment_model TEXT        NOT NULL CHECK (deployment_model IN ('function', 'container', 'vm')),
    kind             TEXT        NOT NULL,
    reference        TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (application_id, name)
);

-- One stored inventory: matched again from inventory_cyclonedx whenever the vulnerability database changes.
CREATE TABLE scans (
    id                  BIGSERIAL PRIMARY KEY,
    target_id           BIGINT      NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    inventory_cyclonedx TEXT        NOT NULL,
    package_count       INTEGER     NOT NULL,
    submitted_at        TIMESTAMPTZ NOT NULL,
    submitted_by        TEXT        NOT NULL,
    matched_at          TIMESTAMPTZ NOT NULL,
    database_built_at   TEXT        NOT NULL,
    database_sources    TEXT        NOT NULL
);
CREATE INDEX scans_by_target ON scans (target_id, id DESC);

CREATE TABLE findings (
    id               BIGSERIAL PRIMARY KEY,
    scan_id          BIGINT      NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    vulnerability_id TEXT        NOT NULL,
    package_purl     TEXT        NOT NULL,
    package_name     TEXT        NOT NULL,
    package_version  TEXT        NOT NULL,
    severity         TEXT        NOT NULL CHECK (severity IN ('UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    status           TEXT        NOT NULL CHECK (status IN ('open', 'resolved')),
    fixed_version    TEXT,
    title            TEXT        NOT NULL,
    first_seen       TIMESTAMPTZ NOT NULL,
    resolved_at      TIMESTAMPTZ,
    UNIQUE (scan_id, vulnerability_id, package_purl)
);
CREATE INDEX findings_by_key ON findings (vulnerability_id, package_purl);

-- The history: when a finding appeared, went away or came back, and with which database build.
CREATE TABLE finding_events (
    id                BIGSERIAL PRIMARY KEY,
    finding_id        BIGINT      NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    event             TEXT        NOT NULL CHECK (event IN ('new', 'resolved', 'reopened')),
    at                TIMESTAMPTZ NOT NULL,
    database_built_at TEXT        NOT NULL
);
CREATE INDEX finding_events_by_finding ON finding_events (finding_id);
