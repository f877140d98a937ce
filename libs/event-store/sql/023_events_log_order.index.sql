CREATE INDEX IF NOT EXISTS events_log_order ON event_store.events (transaction_id, global_position);
