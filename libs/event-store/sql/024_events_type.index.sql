CREATE INDEX IF NOT EXISTS events_type ON event_store.events (type, transaction_id, global_position);
