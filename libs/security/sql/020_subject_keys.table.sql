-- One data key per agency subject (a stream of facts about one person, as one agency knows them),
-- wrapped under the master key. Personal fields of that stream are sealed with it; deleting the row
-- erases them everywhere (crypto-shredding), while the events themselves stay in the log.
CREATE TABLE IF NOT EXISTS security.subject_keys (
  stream_id text PRIMARY KEY,
  wrapped_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT statement_timestamp()
);
