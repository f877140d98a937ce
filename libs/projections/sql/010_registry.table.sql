-- Which schema holds each projection's live read model. A rebuild fills a new generation's schema
-- from the log, then swaps this row (under FOR UPDATE) so readers and the live runner move over at once.
CREATE TABLE IF NOT EXISTS projections.registry (
  name text PRIMARY KEY,
  version integer NOT NULL,
  generation integer NOT NULL,
  active_schema text NOT NULL,
  rebuilt_at timestamptz
);
