-- Every disclosure of person-level data: who received it, for which purpose, under which agreement
-- clause, which (pseudonymous) people and fields. Each entry carries the hash of the one before,
-- so `hub audit verify` finds any change, deletion or insertion. Append-only.
CREATE TABLE IF NOT EXISTS sharing.disclosure_log (
  sequence bigint PRIMARY KEY,
  entry jsonb NOT NULL,
  previous_hash text NOT NULL,
  hash text NOT NULL
);
