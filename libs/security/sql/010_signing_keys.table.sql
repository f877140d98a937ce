-- Keys that sign or verify bearer tokens. `owner` is 'hub' (tokens the hub issues) or an agency id
-- (tokens an agency signs with its own private key; only the public half is held). Private halves
-- are sealed under the master key and never leave this table in clear.
CREATE TABLE IF NOT EXISTS security.signing_keys (
  kid text PRIMARY KEY,
  owner text NOT NULL,
  alg text NOT NULL,
  public_jwk jsonb NOT NULL,
  sealed_private_jwk text,
  status text NOT NULL CHECK (status IN ('active', 'retired', 'revoked')),
  created_at timestamptz NOT NULL DEFAULT statement_timestamp(),
  status_changed_at timestamptz
);
