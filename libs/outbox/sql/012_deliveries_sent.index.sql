-- For pruning sent rows past their retention.
CREATE INDEX IF NOT EXISTS deliveries_sent_at ON outbox.deliveries (sent_at) WHERE sent_at IS NOT NULL;
