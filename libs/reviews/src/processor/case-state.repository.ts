import type { Queryable } from '@hub/database';
import type { StoredEvent } from '@hub/event-store';
import { evolveReviewCase, initialReviewCaseState, type OpenedCase, type ReviewCaseState } from '../review-case/review-case.decider';
import { type ReviewCaseEvent, reviewEventFromStored } from '../review-case/review-case.events';

/** Review cases as a processor or the queue knows them: the decider's state, indexed by the death reports they rest on. */
export class CaseStateRepository {
  constructor(private readonly client: Queryable, private readonly schema: string) {}

  static async install(client: Queryable, schema: string): Promise<void> {
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${schema}.cases (case_id text PRIMARY KEY, report_keys text[] NOT NULL, state jsonb NOT NULL);
      CREATE INDEX IF NOT EXISTS cases_reports ON ${schema}.cases USING gin (report_keys);`);
  }

  async get(caseId: string): Promise<ReviewCaseState> {
    const { rows } = await this.client.query<{ state: ReviewCaseState }>(`SELECT state FROM ${this.schema}.cases WHERE case_id = $1`, [caseId]);
    return rows[0]?.state ?? initialReviewCaseState;
  }

  async byReports(reportKeys: readonly string[]): Promise<OpenedCase[]> {
    if (reportKeys.length === 0) return [];
    const { rows } = await this.client.query<{ state: OpenedCase }>(
      `SELECT state FROM ${this.schema}.cases WHERE report_keys && $1::text[] ORDER BY case_id`, [reportKeys],
    );
    return rows.map((row) => row.state);
  }

  /** Folds review events (from the log, or just decided) into the cases; returns the ids changed. */
  async applyStored(events: readonly StoredEvent[]): Promise<Set<string>> {
    const changed = new Set<string>();
    for (const stored of events) {
      const event = reviewEventFromStored(stored);
      if (event && (await this.apply(event))) changed.add(event.data.caseId);
    }
    return changed;
  }

  async apply(event: ReviewCaseEvent): Promise<boolean> {
    const before = await this.get(event.data.caseId);
    const after = evolveReviewCase(before, event);
    if (after === before || after.status === 'none') return false;
    await this.client.query(
      `INSERT INTO ${this.schema}.cases (case_id, report_keys, state) VALUES ($1, $2, $3)
       ON CONFLICT (case_id) DO UPDATE SET report_keys = excluded.report_keys, state = excluded.state`,
      [after.caseId, after.reports.map((r) => r.recordKey), JSON.stringify(after)],
    );
    return true;
  }
}
