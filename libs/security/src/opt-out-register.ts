import type { Queryable } from '@hub/database';

/** What one replacement changed. */
export interface RegisterChange {
  readonly entries: number;
  readonly added: number;
  readonly removed: number;
}

/**
 * The National Data Opt-out register (`security.opt_out_register`): keyed blind keys of NHS
 * numbers with the period each was listed. Callers serialise replacements (`lock`) and record
 * each one as an event; this class only keeps the table.
 */
export class OptOutRegister {
  constructor(private readonly queryable: Queryable) {}

  /** Serialises replacements until the caller's transaction ends. */
  async lock(): Promise<void> {
    await this.queryable.query("SELECT pg_advisory_xact_lock(hashtext('cdp-hub:opt-out-register'))");
  }

  /** The keys listed now. */
  async current(): Promise<Set<string>> {
    const { rows } = await this.queryable.query<{ nhs_key: string }>('SELECT nhs_key FROM security.opt_out_register WHERE listed_until IS NULL');
    return new Set(rows.map((row) => row.nhs_key));
  }

  /** Makes `keys` the register from instant `at` on: keys no longer listed end at `at`, new ones start at it. */
  async replace(keys: ReadonlySet<string>, at: string): Promise<RegisterChange> {
    const before = await this.current();
    const removed = [...before].filter((key) => !keys.has(key));
    const added = [...keys].filter((key) => !before.has(key));
    if (removed.length > 0) {
      await this.queryable.query(
        'UPDATE security.opt_out_register SET listed_until = $2 WHERE listed_until IS NULL AND nhs_key = ANY($1::text[])', [removed, at],
      );
    }
    if (added.length > 0) {
      await this.queryable.query(
        'INSERT INTO security.opt_out_register (nhs_key, listed_from) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING', [added, at],
      );
    }
    return { entries: keys.size, added: added.length, removed: removed.length };
  }

  /**
   * Subject streams that carry an NHS number listed at `asOf`, by the identity processor's index of
   * blocking keys (`identitySchema.identity_keys`, the same keyed blind index).
   */
  async streamsListedAt(identitySchema: string, asOf: string): Promise<Set<string>> {
    const { rows } = await this.queryable.query<{ stream_id: string }>(
      `SELECT DISTINCT k.stream_id FROM security.opt_out_register r JOIN ${identitySchema}.identity_keys k ON k.key = r.nhs_key
        WHERE r.listed_from <= $1 AND (r.listed_until IS NULL OR r.listed_until > $1)`, [asOf],
    );
    return new Set(rows.map((row) => row.stream_id));
  }
}
