-- The bundle's schema, in its own Flyway location (db/ksef-sync) and history table (ksef_schema_history). Every
-- statement is idempotent: a database the application migrated before it was a library (history in
-- flyway_schema_history) already has these objects, and they are recorded here without change.

-- Continuation point per subject type: where the next export window starts (KSeF HWM or last stored date).
CREATE TABLE IF NOT EXISTS continuation_point (
    subject_type VARCHAR(32) PRIMARY KEY,
    point        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per export started in KSeF: its window, its outcome and what it delivered.
CREATE TABLE IF NOT EXISTS export_run (
    reference_number       VARCHAR(36) PRIMARY KEY,
    subject_type           VARCHAR(32) NOT NULL,
    window_from            TIMESTAMP WITH TIME ZONE NOT NULL,
    window_to              TIMESTAMP WITH TIME ZONE,
    started_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at            TIMESTAMP WITH TIME ZONE,
    status_code            INTEGER,
    result                 VARCHAR(16) NOT NULL,
    truncated              BOOLEAN,
    parts                  INTEGER,
    invoices               INTEGER,
    published              INTEGER,
    duplicates             INTEGER,
    quarantined            INTEGER,
    new_continuation_point TIMESTAMP WITH TIME ZONE,
    error                  VARCHAR(1000)
);
CREATE INDEX IF NOT EXISTS export_run_subject_started ON export_run (subject_type, started_at);

-- Camel's JdbcMessageIdRepository table: keys "<subjectType>:<ksefNumber>" of invoices already on the broker.
CREATE TABLE IF NOT EXISTS CAMEL_MESSAGEPROCESSED (
    processorName VARCHAR(255) NOT NULL,
    messageId     VARCHAR(100) NOT NULL,
    createdAt     TIMESTAMP NOT NULL,
    PRIMARY KEY (processorName, messageId)
);
