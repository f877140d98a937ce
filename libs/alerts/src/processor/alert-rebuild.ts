import type { StoredEvent } from '@hub/event-store';
import type { BulkRebuild, BulkRebuildContext } from '@hub/projections';
import { type FactOf, type RecordVersion, TimelineBulkLoad, TimelineStore } from '@hub/timeline';
import { alertEventFromStored } from '../alert.events';
import { isLiveStatus } from '../lifecycle/alert-lifecycle.decider';
import { nextDueAt } from '../rules/person-sweep';
import { AlertStateRepository, type AlertStateRow, raisedAlertRow, statusAfter } from './alert-state.repository';

/** People whose timelines are read back at once to find when each next falls due. */
const personBatch = 2000;

/**
 * The alert processor's rebuild in bulk, leaving the tables as its page-by-page rebuild does: the
 * timelines and the overdose index written with COPY as the log is read; alert statuses and the
 * event-time position folded in memory (a few rows); then, once every timeline is loaded, when each
 * person next falls due (`nextDueAt`, the rule each sweep applies) from the final event-time
 * position. In rebuild mode a sweep decides nothing else: the alerts are in the log.
 */
export class AlertRebuild implements BulkRebuild {
  private readonly timelines: TimelineBulkLoad;
  private readonly alerts = new Map<string, AlertStateRow>();
  private watermark: string | undefined;
  private clock: string | undefined;
  private persons: string[] = [];

  constructor(private readonly context: BulkRebuildContext, private readonly reveal: (events: readonly StoredEvent[]) => Promise<readonly StoredEvent[]>) {
    this.timelines = new TimelineBulkLoad(context.copy);
  }

  async apply(events: readonly StoredEvent[]): Promise<void> {
    const page = await this.timelines.apply(await this.reveal(events));
    const overdoses = page.versions.filter((v): v is RecordVersion<FactOf<'overdose'>> => v.fact.kind === 'overdose');
    if (overdoses.length > 0) {
      await this.context.copy('overdose_index', ['position', 'record_key', 'local_authority', 'occurred_at'],
        overdoses.map((o) => [o.position, o.key, o.fact.localAuthority, o.fact.occurredAt]));
    }
    for (const stored of events) this.applyAlertEvent(stored);
    if (page.watermark !== undefined) this.watermark = later(this.watermark, page.watermark);
  }

  async finish(): Promise<void> {
    this.persons = await this.timelines.finish();
    const { client, schema } = this.context;
    await new AlertStateRepository(client, schema).insertRaised([...this.alerts.values()]);
    if (this.watermark !== undefined) {
      await client.query(`INSERT INTO ${schema}.event_time (singleton, watermark, clock) VALUES (true, $1, $2)`, [this.watermark, this.clock ?? null]);
    }
  }

  /** When each person next falls due after the event-time position the sweeps reached. */
  async derive(): Promise<void> {
    if (this.watermark === undefined) return;
    const until = this.clock !== undefined && Date.parse(this.clock) > Date.parse(this.watermark) ? this.clock : this.watermark;
    const at = new Date(until).toISOString();
    const store = new TimelineStore(this.context.schema);
    for (let i = 0; i < this.persons.length; i += personBatch) {
      const timelines = await store.loadMany(this.context.client, this.persons.slice(i, i + personBatch));
      const due = timelines.map((t) => [t.personRef, nextDueAt(t, at)] as const).filter((row): row is readonly [string, string] => row[1] !== undefined);
      if (due.length > 0) await this.context.copy('person_due', ['person_ref', 'next_due_at'], due);
    }
  }

  /** `AlertStateRepository.applyEvents` in memory: raised once, then a status change only while live; the clock moves once facts are known. */
  private applyAlertEvent(stored: StoredEvent): void {
    const event = alertEventFromStored(stored);
    if (!event) return;
    if (event.type === 'AlertRaised') {
      const { data } = event;
      if (!this.alerts.has(data.alertId)) this.alerts.set(data.alertId, raisedAlertRow(data));
      if (this.watermark !== undefined) this.clock = later(this.clock, data.raisedAt);
      return;
    }
    const row = this.alerts.get(event.data.alertId);
    if (row && isLiveStatus(row.status)) row.status = statusAfter(event);
  }
}

function later(current: string | undefined, candidate: string): string {
  return current === undefined || Date.parse(candidate) > Date.parse(current) ? candidate : current;
}
