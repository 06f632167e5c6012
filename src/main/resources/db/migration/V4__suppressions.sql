-- Exceptions the server keeps: a finding an admin decided not to report, why, who owns the decision,
-- who approved it (the admin whose token made it) and until when. A revoked exception is kept, marked,
-- for the auditors' register.
CREATE TABLE suppressions (
    id          ${identity},
    application TEXT        NOT NULL,
    target      TEXT,
    finding_id  TEXT        NOT NULL,
    subject     TEXT,
    kind        TEXT        NOT NULL CHECK (kind IN ('vulnerability', 'misconfiguration')),
    reason      TEXT        NOT NULL,
    owner       TEXT        NOT NULL,
    approved_by TEXT        NOT NULL,
    expires     TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ,
    revoked_by  TEXT
);

CREATE INDEX suppressions_application ON suppressions (application);
