-- Delivered invoices are looked up a batch at a time (messageId IN (...)); an index led by messageId serves that
-- lookup in H2 as well as in PostgreSQL (H2 does not use the second column of the primary key for an IN list).
CREATE INDEX IF NOT EXISTS camel_messageprocessed_message ON CAMEL_MESSAGEPROCESSED (messageId);
