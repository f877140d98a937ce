-- Streams whose key was deleted, when and why (erasure request or retention), so readers can say
-- "erased" rather than "missing".
CREATE TABLE IF NOT EXISTS security.erasures (
  stream_id text PRIMARY KEY,
  erased_at timestamptz NOT NULL DEFAULT statement_timestamp(),
  reason text NOT NULL
);
