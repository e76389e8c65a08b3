-- Many taxpayers: a tenant per KSeF context (the client's NIP), and all sync state keyed by that NIP. Rows written by
-- a single-tenant version belong to the NIP it was configured with (Flyway placeholder ksef_nip: ksef.nip, or empty
-- when none was set; such rows then stay with the empty NIP, untouched by any tenant).

-- One row per KSeF context the bundle syncs. credential: 'token' (a KSeF token of this context, sealed with the store
-- key in sealed_token) or 'certificate' (the certificate of ksef.auth.certificate, which serves every tenant that
-- granted its subject InvoiceRead). Empty cron columns take ksef.sync.<subjectType>.cron; empty initial_from takes
-- ksef.sync.initial-from.
CREATE TABLE ksef_tenant (
    nip                     VARCHAR(10) PRIMARY KEY,
    name                    VARCHAR(200),
    enabled                 BOOLEAN NOT NULL,
    subject_types           VARCHAR(100) NOT NULL,
    credential              VARCHAR(16) NOT NULL,
    sealed_token            VARCHAR(2000),
    cron_subject1           VARCHAR(120),
    cron_subject2           VARCHAR(120),
    cron_subject3           VARCHAR(120),
    cron_subject_authorized VARCHAR(120),
    initial_from            VARCHAR(64),
    created_at              TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at              TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Continuation point per (context, subject type).
CREATE TABLE continuation_point_by_context (
    context_nip  VARCHAR(10) NOT NULL,
    subject_type VARCHAR(32) NOT NULL,
    point        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (context_nip, subject_type)
);
INSERT INTO continuation_point_by_context (context_nip, subject_type, point, updated_at)
    SELECT '${ksef_nip}', subject_type, point, updated_at FROM continuation_point;
DROP TABLE continuation_point;
ALTER TABLE continuation_point_by_context RENAME TO continuation_point;

-- Exports per context: resumption and KSeF's 10 unfinished exports are counted per context.
ALTER TABLE export_run ADD COLUMN context_nip VARCHAR(10) DEFAULT '' NOT NULL;
-- the node that started the export (ksef.scheduler.instance-id, or host name and process id)
ALTER TABLE export_run ADD COLUMN run_node VARCHAR(100);
UPDATE export_run SET context_nip = '${ksef_nip}';
CREATE INDEX export_run_context ON export_run (context_nip, subject_type, result, started_at);

-- Rate budget per (scope, endpoint group): the scope is the context NIP (KSeF counts per context and IP), or empty
-- for what KSeF counts per IP alone (POST /auth/challenge). Rows are created on first use.
CREATE TABLE rate_limit_scope (
    scope            VARCHAR(10) NOT NULL,
    limit_group      VARCHAR(40) NOT NULL,
    blocked_until_ms BIGINT NOT NULL,
    PRIMARY KEY (scope, limit_group)
);
INSERT INTO rate_limit_scope (scope, limit_group, blocked_until_ms)
    SELECT '${ksef_nip}', limit_group, blocked_until_ms FROM rate_limit_group;
DROP TABLE rate_limit_group;
ALTER TABLE rate_limit_call ADD COLUMN scope VARCHAR(10) DEFAULT '' NOT NULL;
UPDATE rate_limit_call SET scope = '${ksef_nip}';
CREATE INDEX rate_limit_call_scope ON rate_limit_call (scope, limit_group, called_at_ms);

-- Delivered keys: "<nip>:<subjectType>:<ksefNumber>" (an invoice between two clients is delivered once to each).
UPDATE CAMEL_MESSAGEPROCESSED SET messageId = '${ksef_nip}:' || messageId
    WHERE processorName = 'ksef-invoices' AND '${ksef_nip}' <> '' AND messageId NOT LIKE '%:%:%';
