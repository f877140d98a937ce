import type { PoolClient } from 'pg';
import type { StoredEvent } from '@hub/event-store';
import { retractionEventTypes } from '@hub/kernel';
import type { BulkRebuild, BulkRebuildContext, Projection, ProjectionContext } from '@hub/projections';
import { deterministicId, subjectAssignedType, TimelineStore, TimelineView } from '@hub/timeline';
import { decideReviewCase, evolveReviewCase, type OpenedCase } from '../review-case/review-case.decider';
import { type ReviewCaseEvent, reviewStoreTypeList, reviewStoreTypes, reviewStreamId } from '../review-case/review-case.events';
import { caseCommandsFor } from './case-decisions';
import { CaseStateRepository } from './case-state.repository';
import { ReviewRebuild } from './review-rebuild';

const deathTypes = ['police.suspected-drug-death.reported.v1', 'coroner.inquest.concluded.v1'];
const maxRounds = 4;

/**
 * Opens and joins DRD review cases from death reports, closes them on a not-drug-related inquest,
 * withdraws them when their reports are retracted (SPEC section 7). Keeps its own timeline of death
 * reports and inquests, follows links; appends in live mode only, with ids named by case and report.
 */
export class ReviewProcessor implements Projection {
  readonly name = 'review-processor';
  readonly version = 1;
  readonly eventTypes: readonly string[] = [...deathTypes, ...retractionEventTypes, subjectAssignedType, ...reviewStoreTypeList];

  async install(client: PoolClient, schema: string): Promise<void> {
    await new TimelineStore(schema).install(client);
    await CaseStateRepository.install(client, schema);
  }

  /** Rebuild in bulk (`review-rebuild.ts`): the same tables as `apply` in rebuild mode, written with COPY. */
  bulkRebuild(context: BulkRebuildContext): BulkRebuild {
    return new ReviewRebuild(context);
  }

  async apply(events: readonly StoredEvent[], context: ProjectionContext): Promise<void> {
    const { client, schema } = context;
    const timelines = new TimelineStore(schema);
    const cases = new CaseStateRepository(client, schema);
    const changes = await timelines.apply(client, events);
    await cases.applyStored(events);
    const decided: { caseId: string; event: ReviewCaseEvent }[] = [];
    // Every person touched: their timelines, and the cases resting on their death reports, read once for all.
    const loaded = await timelines.loadMany(client, [...changes.persons].sort());
    const reportKeysOf = new Map(loaded.map((t) => [t.personRef, new Set(t.versions.filter((v) => v.fact.kind === 'death-report').map((v) => v.key))]));
    const resting = await cases.byReports([...new Set([...reportKeysOf.values()].flatMap((keys) => [...keys]))]);
    for (const timeline of loaded) {
      const { personRef } = timeline;
      const view = TimelineView.of(timeline);
      const reportKeys = reportKeysOf.get(personRef)!;
      const instants = [...timeline.versions.map((v) => v.knownAt), ...timeline.retractions.map((r) => r.knownAt)].sort();
      const at = instants[instants.length - 1] ?? context.now.toISOString();
      const known = new Map(resting.filter((c) => c.reports.some((r) => reportKeys.has(r.recordKey))).map((c) => [c.caseId, c]));
      for (let round = 0; round < maxRounds; round++) {
        let progressed = false;
        for (const command of caseCommandsFor(personRef, view, [...known.values()], at)) {
          const state = known.get(command.data.caseId) ?? (await cases.get(command.data.caseId));
          for (const event of decideReviewCase(command, state)) {
            const next = evolveReviewCase(known.get(command.data.caseId) ?? state, event);
            if (next.status !== 'none') known.set(next.caseId, next as OpenedCase);
            decided.push({ caseId: command.data.caseId, event });
            progressed = true;
          }
        }
        if (!progressed) break;
      }
    }
    if (context.mode !== 'live' || decided.length === 0) return;
    await context.append(decided.map(({ caseId, event }) => ({
      streamId: reviewStreamId(caseId), expectedVersion: 'any' as const,
      events: [{
        eventId: deterministicId(reviewStoreTypes[event.type], caseId, discriminator(event)), type: reviewStoreTypes[event.type], source: 'hub', subject: null,
        occurredAt: occurredAt(event), data: event.data, metadata: { decidedBy: 'review-processor' },
      }],
    })));
    for (const { event } of decided) await cases.apply(event);
  }
}

function discriminator(event: ReviewCaseEvent): string {
  if (event.type === 'ReportJoined') return event.data.report.recordKey;
  if (event.type === 'CaseClosed') return event.data.outcome;
  return '';
}

function occurredAt(event: ReviewCaseEvent): string {
  if (event.type === 'CaseOpened' || event.type === 'ReportJoined') return event.data.report.reportedAt;
  return (event.data as { at: string }).at;
}
