-- Who registered or revoked a key, and why (keys are credentials: their changes are audited).
ALTER TABLE security.signing_keys ADD COLUMN IF NOT EXISTS changed_by text;
ALTER TABLE security.signing_keys ADD COLUMN IF NOT EXISTS change_reason text;
