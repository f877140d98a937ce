import type { PoolClient } from 'pg';

/** The reserved `identity_key_counts` row counting the subjects that have a person (the term frequencies' denominator). */
export const subjectsCountKey = '#subjects';

/**
 * The identity processor's tables, in its schema. Only blind indexes and pseudonymous refs:
 * - `identity_records`: each agency record (by a blind index of its key)'s current version (subject stream, blocking keys), or retracted;
 * - `identity_keys`: the blocking keys of each subject stream (from its current, unretracted records), indexed by key; a
 *   tighter model key (`probable:<rule>` refining another) has the key it refines as `qualifier`;
 * - `identity_key_counts`: how many subjects hold each model and name key (block sizes for the cap, term frequencies),
 *   kept with `identity_keys`, and `#subjects`: how many subjects have a person;
 * - `identity_persons`: persons in creation order (the older survives a merge), and what each was merged into;
 * - `identity_subjects`: subject stream -> person, with the reason and evidence of the last assignment;
 * - `identity_pairs`: pairs the probabilistic model or a reviewer decided (`linked`, `review`, `apart`), with the comparison levels and weights;
 * - `identity_model`: the latest model trained on the hub's records (`hub.identity.model-trained.v1`), if any;
 * - `identity_pending`: subjects whose facts were replayed (rebuild) after the last decision the log holds.
 */
export async function installIdentityTables(client: PoolClient, schema: string): Promise<void> {
  const s = schema;
  await client.query(`
    CREATE TABLE IF NOT EXISTS ${s}.identity_records (
      record_key text PRIMARY KEY, stream_id text, event_time timestamptz, position bigint,
      keys jsonb NOT NULL DEFAULT '[]', retracted boolean NOT NULL DEFAULT false);
    CREATE INDEX IF NOT EXISTS identity_records_stream ON ${s}.identity_records (stream_id);
    CREATE TABLE IF NOT EXISTS ${s}.identity_keys (
      stream_id text NOT NULL, key text NOT NULL, qualifier text NOT NULL, rule text NOT NULL, PRIMARY KEY (stream_id, key, qualifier));
    CREATE INDEX IF NOT EXISTS identity_keys_key ON ${s}.identity_keys (key);
    CREATE TABLE IF NOT EXISTS ${s}.identity_key_counts (key text PRIMARY KEY, n integer NOT NULL);
    CREATE TABLE IF NOT EXISTS ${s}.identity_persons (
      person_ref text PRIMARY KEY, seq bigint GENERATED ALWAYS AS IDENTITY, merged_into text);
    CREATE TABLE IF NOT EXISTS ${s}.identity_subjects (
      stream_id text PRIMARY KEY, person_ref text NOT NULL, reason text NOT NULL, evidence jsonb NOT NULL);
    CREATE INDEX IF NOT EXISTS identity_subjects_person ON ${s}.identity_subjects (person_ref);
    CREATE TABLE IF NOT EXISTS ${s}.identity_pairs (
      pair_id text PRIMARY KEY, a text NOT NULL, b text NOT NULL, status text NOT NULL, decided_by text NOT NULL,
      match_weight double precision, data jsonb NOT NULL);
    CREATE INDEX IF NOT EXISTS identity_pairs_a ON ${s}.identity_pairs (a);
    CREATE INDEX IF NOT EXISTS identity_pairs_b ON ${s}.identity_pairs (b);
    CREATE INDEX IF NOT EXISTS identity_pairs_review ON ${s}.identity_pairs (status) WHERE status = 'review';
    CREATE TABLE IF NOT EXISTS ${s}.identity_model (one boolean PRIMARY KEY DEFAULT true CHECK (one), model jsonb NOT NULL);
    CREATE TABLE IF NOT EXISTS ${s}.identity_pending (
      stream_id text PRIMARY KEY, position bigint NOT NULL, event_id text NOT NULL, recorded_at timestamptz NOT NULL);`);
}

/** The tables the linking statements read by index: their plans need statistics that follow their growth (`analyzeGrownTables`). */
export const plannedIdentityTables = ['identity_records', 'identity_keys', 'identity_key_counts', 'identity_subjects', 'identity_persons', 'identity_pairs'];
