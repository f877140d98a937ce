-- Every rejected event, so agencies can see why (GET /v1/rejections). Codes, pointers and ids only:
-- messages quote the offending value, which may be personal data, so they are returned to the
-- sender but never kept.
CREATE TABLE IF NOT EXISTS ingest.rejections (
  rejection_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  rejected_at timestamptz NOT NULL DEFAULT statement_timestamp(),
  channel text NOT NULL,
  agency_id text,
  event_id text,
  event_type text,
  code text NOT NULL,
  pointer text
);
