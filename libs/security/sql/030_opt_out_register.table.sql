-- The National Data Opt-out register: each NHS number as the identity index's key
-- (`shared-nhs-number:<keyed blind index>`, never the number in clear), with the period it was
-- listed. listed_from / listed_until are the recorded times of the imports (hub.opt-out.register-replaced.v1
-- events) that added and removed it, so the register as of any instant is known and reports
-- "as of" an instant before an import never change with it.
CREATE TABLE IF NOT EXISTS security.opt_out_register (
  nhs_key text NOT NULL,
  listed_from timestamptz NOT NULL,
  listed_until timestamptz,
  PRIMARY KEY (nhs_key, listed_from)
);
CREATE INDEX IF NOT EXISTS opt_out_register_current ON security.opt_out_register (nhs_key) WHERE listed_until IS NULL;
