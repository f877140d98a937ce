CREATE UNIQUE INDEX IF NOT EXISTS events_stream_position ON event_store.events (stream_id, stream_position);
