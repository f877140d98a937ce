-- Where each subscriber (projection, processor) has read up to. Written in the same transaction as
-- the subscriber's read-model changes, so each event takes effect exactly once.
CREATE TABLE IF NOT EXISTS event_store.checkpoints (
  subscriber text PRIMARY KEY,
  transaction_id xid8 NOT NULL,
  global_position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
