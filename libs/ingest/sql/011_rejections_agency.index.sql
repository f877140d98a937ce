CREATE INDEX IF NOT EXISTS rejections_agency ON ingest.rejections (agency_id, rejected_at);
