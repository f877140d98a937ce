-- The transactional outbox: hub events for one agency, written in the same transaction as the
-- change they announce, relayed to `cdp.outbound.<agency_id>` by the one active relay.
-- A row is one enqueue call: its events go out in array order, rows in (transaction_id, position)
-- order, the same gap-free rule as the event store's log (only below pg_snapshot_xmin).
-- Rows are marked sent after the broker acknowledged them and pruned after the retention period.
CREATE TABLE IF NOT EXISTS outbox.deliveries (
  position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  agency_id text NOT NULL,
  -- a JSON array of CloudEvents (structured mode); each one's id is its record key
  events json NOT NULL CHECK (json_typeof(events) = 'array'),
  event_count integer NOT NULL CHECK (event_count >= 1),
  enqueued_at timestamptz NOT NULL DEFAULT statement_timestamp(),
  sent_at timestamptz
);
-- Written once, read once, then pruned: compressing the (often large) event arrays costs more than it saves.
ALTER TABLE outbox.deliveries ALTER COLUMN events SET STORAGE EXTERNAL;
