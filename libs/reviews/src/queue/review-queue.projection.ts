import type { PoolClient } from 'pg';
import type { Queryable } from '@hub/database';
import type { StoredEvent } from '@hub/event-store';
import { retractionEventTypes } from '@hub/kernel';
import type { BulkRebuild, BulkRebuildContext, Projection, ProjectionContext } from '@hub/projections';
import { subjectAssignedType, timelineFactTypes, TimelineStore, TimelineView } from '@hub/timeline';
import { CaseStateRepository } from '../processor/case-state.repository';
import { ReviewRebuild } from '../processor/review-rebuild';
import { reviewStoreTypeList } from '../review-case/review-case.events';
import type { OpenedCase } from '../review-case/review-case.decider';
import { reviewFlags, reviewPriority } from '../review-case/review-flags';

/**
 * The DRD review queue (SPEC section 7): cases from the review events in the log, each with its
 * person's flags and priority worked out from the linked timeline, again whenever that timeline
 * changes (late facts, new links). Withdrawn and merged cases leave the queue.
 */
export class ReviewQueueProjection implements Projection {
  readonly name = 'review-queue';
  readonly version = 1;
  readonly eventTypes: readonly string[] = [...timelineFactTypes, ...retractionEventTypes, subjectAssignedType, ...reviewStoreTypeList];

  async install(client: PoolClient, schema: string): Promise<void> {
    await new TimelineStore(schema).install(client);
    await CaseStateRepository.install(client, schema);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${schema}.queue (
        case_id text PRIMARY KEY, person_ref text NOT NULL, died_on text NOT NULL, priority text NOT NULL, status text NOT NULL,
        due_on text NOT NULL, flags jsonb NOT NULL, flag_sources jsonb NOT NULL, listed boolean NOT NULL);
      CREATE INDEX IF NOT EXISTS queue_listing ON ${schema}.queue (listed, status, due_on);`);
  }

  async apply(events: readonly StoredEvent[], { client, schema }: ProjectionContext): Promise<void> {
    const timelines = new TimelineStore(schema);
    const cases = new CaseStateRepository(client, schema);
    const changes = await timelines.apply(client, events);
    const affected = await cases.applyStored(events);
    for (const c of await cases.byReports(await deathReportsOf(client, schema, [...changes.persons]))) affected.add(c.caseId);
    for (const caseId of [...affected].sort()) {
      const state = await cases.get(caseId);
      if (state.status !== 'none') await refresh(client, schema, timelines, state);
    }
  }

  /**
   * Rebuild in bulk: the timelines and cases as the review processor's bulk rebuild loads them
   * (`ReviewRebuild`), then each case's queue row worked out once from its person's final timeline,
   * as `apply` leaves it after the last change to the case or that timeline.
   */
  bulkRebuild(context: BulkRebuildContext): BulkRebuild {
    const fill = new ReviewRebuild(context);
    return {
      apply: (events) => fill.apply(events),
      finish: () => fill.finish(),
      derive: async () => {
        const { client, schema } = context;
        const timelines = new TimelineStore(schema);
        const { rows } = await client.query<{ state: OpenedCase }>(`SELECT state FROM ${schema}.cases ORDER BY case_id`);
        for (const { state } of rows) await refresh(client, schema, timelines, state);
      },
    };
  }
}

async function refresh(client: Queryable, schema: string, timelines: TimelineStore, state: OpenedCase): Promise<void> {
  const personRef = await currentPersonOf(client, timelines, state);
  const view = TimelineView.of(await timelines.load(client, personRef));
  const { flags, sources } = reviewFlags(view, state.diedOn);
  const priority = reviewPriority(view, state.diedOn, flags);
  const listed = state.outcome !== 'withdrawn' && state.outcome !== 'merged';
  await client.query(
    `INSERT INTO ${schema}.queue (case_id, person_ref, died_on, priority, status, due_on, flags, flag_sources, listed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (case_id) DO UPDATE SET person_ref = excluded.person_ref, died_on = excluded.died_on, priority = excluded.priority,
       status = excluded.status, due_on = excluded.due_on, flags = excluded.flags, flag_sources = excluded.flag_sources, listed = excluded.listed`,
    [state.caseId, personRef, state.diedOn, priority, state.status, state.dueOn, JSON.stringify(flags), JSON.stringify(sources), listed],
  );
}

/** The death reports among the records of these people (only their cases need their flags worked out again). */
async function deathReportsOf(client: Queryable, schema: string, personRefs: readonly string[]): Promise<string[]> {
  if (personRefs.length === 0) return [];
  const { rows } = await client.query<{ record_key: string }>(
    `SELECT DISTINCT v.record_key FROM ${schema}.record_versions v JOIN ${schema}.subjects s USING (stream_id)
     WHERE s.person_ref = ANY($1::text[]) AND v.body->'fact'->>'kind' = 'death-report'`,
    [personRefs],
  );
  return rows.map((row) => row.record_key);
}

/** The person the case's first report belongs to now (links may have moved it since the case opened). */
async function currentPersonOf(client: Queryable, timelines: TimelineStore, state: OpenedCase): Promise<string> {
  for (const report of state.reports) {
    const stream = await timelines.streamOf(client, report.recordKey);
    const person = stream ? await timelines.personOfStream(client, stream) : undefined;
    if (person) return person;
  }
  return state.personRef;
}
