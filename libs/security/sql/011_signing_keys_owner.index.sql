CREATE INDEX IF NOT EXISTS signing_keys_owner ON security.signing_keys (owner, status);
