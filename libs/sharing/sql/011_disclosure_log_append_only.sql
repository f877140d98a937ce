-- Append-only: UPDATE, DELETE and TRUNCATE are refused. Tampering then needs a deliberate act by a
-- superuser (disabling the trigger), which `hub audit verify` detects from the hash chain.
CREATE OR REPLACE FUNCTION sharing.refuse_disclosure_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'sharing.disclosure_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE OR REPLACE TRIGGER disclosure_log_append_only BEFORE UPDATE OR DELETE ON sharing.disclosure_log
  FOR EACH ROW EXECUTE FUNCTION sharing.refuse_disclosure_log_change();
CREATE OR REPLACE TRIGGER disclosure_log_no_truncate BEFORE TRUNCATE ON sharing.disclosure_log
  FOR EACH STATEMENT EXECUTE FUNCTION sharing.refuse_disclosure_log_change();
