-- Rate budget: one row per KSeF endpoint group, locked while a call is admitted, with the block KSeF last announced
-- (429 + Retry-After). Times are epoch milliseconds.
CREATE TABLE IF NOT EXISTS rate_limit_group (
    limit_group      VARCHAR(32) PRIMARY KEY,
    blocked_until_ms BIGINT NOT NULL
);
INSERT INTO rate_limit_group (limit_group, blocked_until_ms)
    SELECT 'invoiceExport', 0 WHERE NOT EXISTS (SELECT 1 FROM rate_limit_group WHERE limit_group = 'invoiceExport');
INSERT INTO rate_limit_group (limit_group, blocked_until_ms)
    SELECT 'invoiceExportStatus', 0 WHERE NOT EXISTS (SELECT 1 FROM rate_limit_group WHERE limit_group = 'invoiceExportStatus');
INSERT INTO rate_limit_group (limit_group, blocked_until_ms)
    SELECT 'invoiceDownload', 0 WHERE NOT EXISTS (SELECT 1 FROM rate_limit_group WHERE limit_group = 'invoiceDownload');
INSERT INTO rate_limit_group (limit_group, blocked_until_ms)
    SELECT 'auth', 0 WHERE NOT EXISTS (SELECT 1 FROM rate_limit_group WHERE limit_group = 'auth');
INSERT INTO rate_limit_group (limit_group, blocked_until_ms)
    SELECT 'other', 0 WHERE NOT EXISTS (SELECT 1 FROM rate_limit_group WHERE limit_group = 'other');

-- Calls admitted per group, for the sliding 1 s / 1 min / 1 h windows; rows older than an hour are pruned.
CREATE TABLE IF NOT EXISTS rate_limit_call (
    limit_group VARCHAR(32) NOT NULL,
    called_at_ms BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_limit_call_group_at ON rate_limit_call (limit_group, called_at_ms);

-- Durable exports: the AES key material of an export still to be delivered, sealed with the store key
-- (AES-256-GCM, never in clear); cleared when the export ends.
ALTER TABLE export_run ADD COLUMN IF NOT EXISTS sealed_key VARCHAR(200);
CREATE INDEX IF NOT EXISTS export_run_result ON export_run (result, subject_type);
