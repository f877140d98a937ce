import type { Database, Queryable } from '@hub/database';
import type {
  AuditLogEntry, AuditLogInput, DisclosureInput, DisclosureLogEntry, ErasureInput, ErasureLogEntry, SubjectAccessInput, SubjectAccessLogEntry,
} from './disclosure-log-entry';
import { appendEntry, type ChainVerification, verifyChain } from './hash-chain';

export interface AuditLogFilter {
  readonly afterSequence?: number;
  readonly limit?: number;
  /** Disclosures made to this agency (erasures are left out). */
  readonly recipient?: string;
  /** Entries naming this person. */
  readonly personRef?: string;
}

/**
 * The disclosure log in PostgreSQL: appends are serialised so the chain never forks; the table
 * refuses UPDATE and DELETE (a trigger), so changing it takes a deliberate act that
 * `verify` then finds.
 */
export class DisclosureLogRepository {
  constructor(private readonly database: Database) {}

  append(input: DisclosureInput, queryable?: Queryable): Promise<DisclosureLogEntry>;
  append(input: ErasureInput, queryable?: Queryable): Promise<ErasureLogEntry>;
  append(input: SubjectAccessInput, queryable?: Queryable): Promise<SubjectAccessLogEntry>;
  async append(input: AuditLogInput, queryable?: Queryable): Promise<AuditLogEntry> {
    const write = async (client: Queryable): Promise<AuditLogEntry> => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('cdp-hub:disclosure-log'))");
      const { rows } = await client.query<{ entry: AuditLogEntry }>('SELECT entry FROM sharing.disclosure_log ORDER BY sequence DESC LIMIT 1');
      const entry = appendEntry(rows[0]?.entry ?? null, input);
      await client.query(
        'INSERT INTO sharing.disclosure_log (sequence, entry, previous_hash, hash) VALUES ($1, $2, $3, $4)',
        [entry.sequence, JSON.stringify(entry), entry.previousHash, entry.hash],
      );
      return entry;
    };
    return queryable ? write(queryable) : this.database.transaction(write);
  }

  async list(options: AuditLogFilter = {}): Promise<AuditLogEntry[]> {
    const { rows } = await this.database.query<{ entry: AuditLogEntry }>(
      `SELECT entry FROM sharing.disclosure_log
       WHERE sequence > $1 AND ($3::text IS NULL OR entry->>'recipient' = $3) AND ($4::text IS NULL OR entry->'personRefs' ? $4)
       ORDER BY sequence LIMIT $2`,
      [options.afterSequence ?? 0, options.limit ?? 100, options.recipient ?? null, options.personRef ?? null],
    );
    return rows.map((row) => row.entry);
  }

  /**
   * Recomputes the whole chain from the stored entries and names the first broken link. The
   * `hash` and `previous_hash` columns must also agree with the entry they store.
   */
  async verify(): Promise<ChainVerification & { readonly entries: number }> {
    const entries: AuditLogEntry[] = [];
    for (let after = 0; ; ) {
      const { rows } = await this.database.query<{ sequence: string; entry: AuditLogEntry; previous_hash: string; hash: string }>(
        'SELECT sequence, entry, previous_hash, hash FROM sharing.disclosure_log WHERE sequence > $1 ORDER BY sequence LIMIT 10000', [after],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        if (Number(row.sequence) !== row.entry.sequence || row.hash !== row.entry.hash || row.previous_hash !== row.entry.previousHash) {
          const position = entries.length;
          const firstBrokenSequence = Math.min(Number(row.sequence), position + 1);
          return {
            ok: false, firstBrokenSequence, position, entries: position,
            reason: `entry ${Number(row.sequence)}: the stored sequence, hash or previous_hash columns do not match the entry (the row was altered)`,
          };
        }
        entries.push(row.entry);
      }
      after = Number(rows[rows.length - 1]!.sequence);
    }
    return { ...verifyChain(entries), entries: entries.length };
  }
}
