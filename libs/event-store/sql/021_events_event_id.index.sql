-- Idempotency across the whole store: an event id is claimed once.
CREATE UNIQUE INDEX IF NOT EXISTS events_event_id ON event_store.events (event_id);
