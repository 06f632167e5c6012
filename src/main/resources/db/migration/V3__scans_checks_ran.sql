-- Whether the configuration checks ran on a scan (the server's own image scans), so that a scan without
-- misconfigurations can be told from one nobody checked (an uploaded SBOM): a portfolio assessment counts
-- hardening findings only where the checks ran, and says "unknown" elsewhere. Older scans: not known to
-- have been checked.
ALTER TABLE scans ADD COLUMN checks_ran BOOLEAN NOT NULL DEFAULT FALSE;
