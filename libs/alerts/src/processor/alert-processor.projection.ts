import type { PoolClient } from 'pg';
import type { Queryable } from '@hub/database';
import type { StoredEvent } from '@hub/event-store';
import { retractionEventTypes } from '@hub/kernel';
import type { BulkRebuild, BulkRebuildContext, Projection, ProjectionContext } from '@hub/projections';
import { type AreaDirectory, agreementList } from '@hub/sharing';
import { addHours, type FactOf, type RecordVersion, subjectAssignedType, timelineFactTypes, TimelineStore } from '@hub/timeline';
import type { AlertStatus } from '../alert';
import { alertStoreTypeList } from '../alert.events';
import { isLiveStatus } from '../lifecycle/alert-lifecycle.decider';
import { clusterWindowHours, sweepClusters } from '../rules/overdose-cluster.rules';
import { type RaisedFinding, type ResolvedFinding, sweepPerson } from '../rules/person-sweep';
import { AlertDecisions, type RoutingDirectory } from './alert-decisions';
import { AlertRebuild } from './alert-rebuild';
import { AlertStateRepository } from './alert-state.repository';

export interface AlertProcessorDependencies {
  /** Opens sealed personal fields (only the date of birth on releases is read, for the age on release). */
  readonly vault: { reveal(events: readonly StoredEvent[], client: Queryable): Promise<StoredEvent[]> };
  readonly directories: { current(): Promise<AreaDirectory> };
}

const overdoseType = 'nhs.non-fatal-overdose.recorded.v1';
/** How far around new overdoses the cluster sweep looks (clusters span at most 72 hours either side of their anchor). */
const clusterReachHours = clusterWindowHours * 2;

/**
 * Decides alerts (SPEC section 6) as the log grows: keeps each person's linked timeline, sweeps
 * the person rules whenever it changes (a fact, a retraction, a link) or a time-based check falls
 * due, sweeps clusters around new overdoses, and in live mode appends the alert events it has not
 * appended before. Sweeps go up to the event-time position (the latest instant any fact was known
 * at) or, once the hub's clock has passed it in a `tick`, up to that clock. In rebuild mode it keeps
 * its memory and appends nothing.
 */
export class AlertProcessor implements Projection {
  readonly name = 'alert-processor';
  readonly version = 1;
  readonly eventTypes: readonly string[] = [...timelineFactTypes, ...retractionEventTypes, subjectAssignedType, ...alertStoreTypeList];

  constructor(private readonly deps: AlertProcessorDependencies) {}

  async install(client: PoolClient, schema: string): Promise<void> {
    await new TimelineStore(schema).install(client);
    await AlertStateRepository.install(client, schema);
  }

  async apply(events: readonly StoredEvent[], context: ProjectionContext): Promise<void> {
    const { client, schema } = context;
    const timelines = new TimelineStore(schema);
    const state = new AlertStateRepository(client, schema);
    const changes = await timelines.apply(client, await this.revealReleases(events, client));
    await state.applyAlertEvents(events);
    const until = await state.advanceWatermark(changes.watermark);
    const overdoses = changes.versions.filter((v): v is RecordVersion<FactOf<'overdose'>> => v.fact.kind === 'overdose');
    await state.indexOverdoses(overdoses.map((o) => ({ position: o.position, recordKey: o.key, localAuthority: o.fact.localAuthority, occurredAt: o.fact.occurredAt })));
    if (until === undefined) return;
    const decisions = new AlertDecisions();
    const directory = this.lazyDirectory();
    const persons = new Set([...changes.persons, ...(await state.duePersons(until))]);
    const swept = new Set(await this.evaluatePersons(context, [...persons].sort(), until, decisions, directory));
    await this.resolveUnlinked(state, changes.reassigned, swept, until, decisions);
    const retractedOverdoses = changes.retractions.map((r) => r.targetKey).filter((key) => key.includes(`|${overdoseType}|`));
    const touched = [...overdoses.map((o) => ({ localAuthority: o.fact.localAuthority, occurredAt: o.fact.occurredAt })), ...(await state.overdoseAreas(retractedOverdoses))];
    for (const [localAuthority, times] of groupTimes(touched)) await this.evaluateClusters(context, localAuthority, times, decisions, directory);
    await this.commit(context, decisions);
  }

  /** Rebuild in bulk (`alert-rebuild.ts`): the same tables as `apply` in rebuild mode, written with COPY. */
  bulkRebuild(context: BulkRebuildContext): BulkRebuild {
    return new AlertRebuild(context, (events) => this.revealReleases(events, context.client));
  }

  /** The hub's clock: time-based checks of people who fell due, up to now. */
  async tick(context: ProjectionContext): Promise<void> {
    const state = new AlertStateRepository(context.client, context.schema);
    const watermark = await state.advanceWatermark(undefined);
    const now = context.now.toISOString();
    const until = watermark !== undefined && watermark > now ? watermark : now;
    await state.recordClock(until);
    const decisions = new AlertDecisions();
    const directory = this.lazyDirectory();
    await this.evaluatePersons(context, await state.duePersons(until), until, decisions, directory);
    await this.commit(context, decisions);
  }

  /**
   * Sweeps these people (in this order) and decides what the log lacks; returns every alert id the
   * sweeps found. Their timelines, due times and alert statuses are read and written once for all.
   */
  private async evaluatePersons(context: ProjectionContext, personRefs: readonly string[], until: string, decisions: AlertDecisions, directory: () => Promise<RoutingDirectory>): Promise<string[]> {
    if (personRefs.length === 0) return [];
    const state = new AlertStateRepository(context.client, context.schema);
    const timelines = await new TimelineStore(context.schema).loadMany(context.client, personRefs);
    const sweeps = timelines.map((timeline) => ({ personRef: timeline.personRef, sweep: sweepPerson(timeline, until) }));
    await state.setNextDue(sweeps.map(({ personRef, sweep }) => ({ personRef, nextDueAt: sweep.nextDueAt })));
    const statuses = await state.statuses(sweeps.flatMap(({ sweep }) => [...sweep.raised.map((r) => r.trigger.alertId), ...sweep.resolved.map((r) => r.alertId)]));
    for (const { personRef, sweep } of sweeps) await this.reconcile(statuses, sweep.raised, sweep.resolved, personRef, decisions, directory);
    return sweeps.flatMap(({ sweep }) => sweep.raised.map((r) => r.trigger.alertId));
  }

  /**
   * A link undone (a subject moved to another person) can leave an alert whose records no longer
   * belong together: no sweep of the people involved finds it any more, so it resolves. An alert
   * whose records moved with a merge is found by the survivor's sweep and stays as it is.
   */
  private async resolveUnlinked(state: AlertStateRepository, relinked: ReadonlySet<string>, swept: ReadonlySet<string>, at: string, decisions: AlertDecisions): Promise<void> {
    for (const alertId of await state.liveAlertsOf([...relinked])) {
      if (swept.has(alertId) || decisions.has(alertId)) continue;
      decisions.resolve({ alertId, reason: 'condition-ended', resolvedAt: at });
    }
  }

  private async evaluateClusters(context: ProjectionContext, localAuthority: string, times: readonly string[], decisions: AlertDecisions, directory: () => Promise<RoutingDirectory>): Promise<void> {
    const state = new AlertStateRepository(context.client, context.schema);
    const from = addHours(times[0]!, -clusterReachHours);
    const to = addHours(times[times.length - 1]!, clusterReachHours);
    const keys = await state.overdoseKeysNear(localAuthority, from, to);
    const records = await new TimelineStore(context.schema).loadRecords(context.client, keys);
    const known = await state.knownClusters(localAuthority, addHours(from, -clusterWindowHours), addHours(to, clusterWindowHours));
    const sweep = sweepClusters(localAuthority, records, known);
    const statuses = await state.statuses([...sweep.raised.map((r) => r.trigger.alertId), ...sweep.resolved.map((r) => r.alertId)]);
    await this.reconcile(statuses, sweep.raised, sweep.resolved, null, decisions, directory);
  }

  /**
   * Decides what the log lacks: each alert raised once; a resolution only while it is open or
   * acknowledged. `held`: the statuses the processor's tables hold (each sweep starts from them).
   */
  private async reconcile(
    held: ReadonlyMap<string, AlertStatus>, raised: readonly RaisedFinding[], resolved: readonly ResolvedFinding[], personRef: string | null,
    decisions: AlertDecisions, directory: () => Promise<RoutingDirectory>,
  ): Promise<void> {
    const ids = [...raised.map((r) => r.trigger.alertId), ...resolved.map((r) => r.alertId)];
    const statuses = new Map(ids.filter((id) => held.has(id)).map((id) => [id, held.get(id)!]));
    for (const finding of raised) {
      if (statuses.has(finding.trigger.alertId) || decisions.has(finding.trigger.alertId)) continue;
      decisions.raise(finding, personRef, await directory());
      statuses.set(finding.trigger.alertId, 'open');
    }
    for (const finding of resolved) {
      const status = statuses.get(finding.alertId);
      if (status === undefined || !isLiveStatus(status)) continue;
      decisions.resolve(finding);
      statuses.set(finding.alertId, 'resolved');
    }
  }

  private async commit(context: ProjectionContext, decisions: AlertDecisions): Promise<void> {
    if (context.mode !== 'live' || decisions.size === 0) return;
    await context.append(decisions.toAppendRequests());
    await new AlertStateRepository(context.client, context.schema).applyEvents(decisions.events());
  }

  private lazyDirectory(): () => Promise<RoutingDirectory> {
    let loaded: Promise<RoutingDirectory> | undefined;
    return () => (loaded ??= this.deps.directories.current().then((d) => ({ agencies: [...d.agencies.values()], agreements: agreementList(d) })));
  }

  /** Only releases need opening (the age on release); everything else the rules read is not sealed. */
  private async revealReleases(events: readonly StoredEvent[], client: Queryable): Promise<readonly StoredEvent[]> {
    const releases = events.filter((e) => e.type === 'prison.release.recorded.v1');
    if (releases.length === 0) return events;
    const opened = new Map((await this.deps.vault.reveal(releases, client)).map((e) => [e.globalPosition, e]));
    return events.map((e) => opened.get(e.globalPosition) ?? e);
  }
}

function groupTimes(entries: readonly { localAuthority: string; occurredAt: string }[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const { localAuthority, occurredAt } of entries) grouped.set(localAuthority, [...(grouped.get(localAuthority) ?? []), occurredAt]);
  for (const times of grouped.values()) times.sort();
  return grouped;
}
