-- palisade server: applications, their targets, the inventories stored for them and what was matched.
-- One schema for both stores: ${identity} is the only word that differs (an identity column on
-- PostgreSQL, a rowid alias on SQLite); everything else is SQL both accept.

CREATE TABLE applications (
    id         ${identity},
    name       TEXT        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE targets (
    id               ${identity},
    application_id   BIGINT      NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    name             TEXT        NOT NULL,
    deployment_model TEXT        NOT NULL CHECK (deployment_model IN ('function', 'container', 'vm')),
    kind             TEXT        NOT NULL,
    reference        TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    -- the newest stored inventory: the one a new database is matched against
    latest_scan_id   BIGINT,
    UNIQUE (application_id, name)
);

-- One stored inventory: matched again from inventory_cyclonedx whenever the vulnerability database changes.
CREATE TABLE scans (
    id                  ${identity},
    target_id           BIGINT      NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    inventory_cyclonedx TEXT        NOT NULL,
    -- SHA-256 of the sorted package list: inventories with the same packages match the same
    package_digest      TEXT        NOT NULL,
    package_count       INTEGER     NOT NULL,
    submitted_at        TIMESTAMPTZ NOT NULL,
    submitted_by        TEXT        NOT NULL,
    matched_at          TIMESTAMPTZ NOT NULL,
    database_built_at   TEXT        NOT NULL,
    database_sources    TEXT        NOT NULL
);
CREATE INDEX scans_by_target ON scans (target_id, id);

-- The (ecosystem, package) keys the matcher looked up for a scan: after an update that changed some
-- keys, only the scans holding one of them are matched again.
CREATE TABLE scan_packages (
    scan_id   BIGINT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    ecosystem TEXT   NOT NULL,
    name      TEXT   NOT NULL,
    PRIMARY KEY (scan_id, ecosystem, name)
);
CREATE INDEX scan_packages_by_key ON scan_packages (ecosystem, name);

CREATE TABLE findings (
    id               ${identity},
    scan_id          BIGINT      NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    vulnerability_id TEXT        NOT NULL,
    package_purl     TEXT        NOT NULL,
    package_name     TEXT        NOT NULL,
    package_version  TEXT        NOT NULL,
    severity         TEXT        NOT NULL CHECK (severity IN ('UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    status           TEXT        NOT NULL CHECK (status IN ('open', 'resolved')),
    fixed_version    TEXT,
    title            TEXT        NOT NULL,
    -- CISA's due date when the vulnerability is in the KEV catalog (YYYY-MM-DD)
    kev_due_date     TEXT,
    first_seen       TIMESTAMPTZ NOT NULL,
    resolved_at      TIMESTAMPTZ,
    UNIQUE (scan_id, vulnerability_id, package_purl)
);
CREATE INDEX findings_by_key ON findings (vulnerability_id, package_purl);

-- The history: when a finding appeared, went away or came back, and with which database build.
CREATE TABLE finding_events (
    id                ${identity},
    finding_id        BIGINT      NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    event             TEXT        NOT NULL CHECK (event IN ('new', 'resolved', 'reopened')),
    at                TIMESTAMPTZ NOT NULL,
    database_built_at TEXT        NOT NULL
);
CREATE INDEX finding_events_by_finding ON finding_events (finding_id);
CREATE INDEX finding_events_by_time ON finding_events (at);

-- API tokens, kept only as SHA-256 hashes of the token.
CREATE TABLE api_tokens (
    id         ${identity},
    name       TEXT        NOT NULL UNIQUE,
    role       TEXT        NOT NULL CHECK (role IN ('admin', 'scanner', 'viewer')),
    token_hash TEXT        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT        NOT NULL,
    revoked_at TIMESTAMPTZ
);

-- Every change made through the API or by the server itself: who, what, when.
CREATE TABLE audit_log (
    id      ${identity},
    at      TIMESTAMPTZ NOT NULL,
    actor   TEXT        NOT NULL,
    action  TEXT        NOT NULL,
    subject TEXT        NOT NULL,
    detail  TEXT        NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- The configuration check findings of a scan the server ran itself (an uploaded SBOM has none). Messages
-- were redacted of secrets by the pipeline before they were stored.
CREATE TABLE misconfigurations (
    id       ${identity},
    scan_id  BIGINT  NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    check_id TEXT    NOT NULL,
    severity TEXT    NOT NULL,
    title    TEXT    NOT NULL,
    path     TEXT    NOT NULL,
    line     INTEGER NOT NULL,
    message  TEXT    NOT NULL
);
CREATE INDEX misconfigurations_by_scan ON misconfigurations (scan_id);
