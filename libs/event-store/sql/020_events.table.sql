-- The log: the only source of truth. Rows are never updated except by crypto-shredding of data.
-- Log order is (transaction_id, global_position); readers only read below the oldest in-flight
-- transaction (pg_snapshot_xmin), so no reader can skip an event committed later with a lower position.
CREATE TABLE IF NOT EXISTS event_store.events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id text NOT NULL,
  stream_id text NOT NULL,
  stream_position integer NOT NULL CHECK (stream_position >= 1),
  type text NOT NULL,
  source text NOT NULL,
  subject text,
  -- business or producer time (CloudEvents `time`)
  occurred_at timestamptz NOT NULL,
  -- arrival: when the store recorded it; "as of" queries filter on this
  recorded_at timestamptz NOT NULL DEFAULT statement_timestamp(),
  content_hash text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb
);
