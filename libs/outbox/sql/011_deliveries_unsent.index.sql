-- What the relay reads: unsent rows in relay order. Small, since sent rows leave it.
CREATE INDEX IF NOT EXISTS deliveries_unsent ON outbox.deliveries (transaction_id, position) WHERE sent_at IS NULL;
