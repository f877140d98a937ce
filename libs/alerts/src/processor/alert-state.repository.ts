import type { Queryable } from '@hub/database';
import type { StoredEvent } from '@hub/event-store';
import type { AlertStatus } from '../alert';
import { type AlertEvent, alertEventFromStored, type AlertRaisedData } from '../alert.events';
import { isLiveStatus } from '../lifecycle/alert-lifecycle.decider';
import type { KnownCluster } from '../rules/overdose-cluster.rules';

/** What the processor keeps of an alert: its status, and for a cluster the window's end and its members. */
export interface AlertStateRow {
  readonly alertId: string;
  readonly code: string;
  status: AlertStatus;
  readonly personRef: string | null;
  readonly localAuthority: string | null;
  readonly anchorAt: string | null;
  readonly members: readonly string[];
}

/** The row an alert starts with when it is raised: open. */
export function raisedAlertRow(data: AlertRaisedData): AlertStateRow {
  const cluster = data.code === 'OVERDOSE_CLUSTER';
  return {
    alertId: data.alertId, code: data.code, status: 'open', personRef: data.personRef, localAuthority: data.localAuthority,
    anchorAt: cluster ? (data.details.to as string) : null, members: cluster ? data.triggers.map((t) => t.recordKey) : [],
  };
}

/** The status a lifecycle event (other than the raise) moves a live alert to. */
export function statusAfter(event: Exclude<AlertEvent, { type: 'AlertRaised' }>): AlertStatus {
  return event.type === 'AlertAcknowledged' ? 'acknowledged' : event.type === 'AlertResolved' ? 'resolved' : 'closed';
}

/**
 * The processor's own memory, in its schema: each alert's status (from the alert events in the log,
 * and from its own decisions as it appends them), when each person next falls due for a time-based
 * check, the event-time position reached, and an index of overdoses by local authority and time.
 */
export class AlertStateRepository {
  constructor(private readonly client: Queryable, private readonly schema: string) {}

  static async install(client: Queryable, schema: string): Promise<void> {
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${schema}.alert_state (
        alert_id text PRIMARY KEY, code text NOT NULL, status text NOT NULL, person_ref text, local_authority text,
        anchor_at timestamptz, members text[] NOT NULL DEFAULT '{}');
      CREATE INDEX IF NOT EXISTS alert_state_clusters ON ${schema}.alert_state (local_authority, anchor_at) WHERE code = 'OVERDOSE_CLUSTER';
      CREATE TABLE IF NOT EXISTS ${schema}.person_due (person_ref text PRIMARY KEY, next_due_at timestamptz NOT NULL);
      CREATE INDEX IF NOT EXISTS person_due_at ON ${schema}.person_due (next_due_at);
      CREATE TABLE IF NOT EXISTS ${schema}.event_time (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton), watermark timestamptz NOT NULL, clock timestamptz);
      CREATE TABLE IF NOT EXISTS ${schema}.overdose_index (
        position bigint PRIMARY KEY, record_key text NOT NULL, local_authority text NOT NULL, occurred_at timestamptz NOT NULL);
      CREATE INDEX IF NOT EXISTS overdose_index_area_time ON ${schema}.overdose_index (local_authority, occurred_at);
      CREATE INDEX IF NOT EXISTS overdose_index_key ON ${schema}.overdose_index (record_key);`);
  }

  /** Follows the lifecycle events in the log (the same final-state rule as the decider). */
  async applyAlertEvents(events: readonly StoredEvent[]): Promise<void> {
    await this.applyEvents(events.map(alertEventFromStored).filter((e): e is AlertEvent => e !== undefined));
  }

  /**
   * Folds alert events, in order, into the alerts' rows: raised once (a repeat changes nothing), then
   * a status change only while open or acknowledged. One read and at most three writes for them all.
   */
  async applyEvents(events: readonly AlertEvent[]): Promise<void> {
    if (events.length === 0) return;
    const held = await this.statuses([...new Set(events.map((e) => e.data.alertId))]);
    const raised = new Map<string, AlertStateRow>();
    const changed = new Map<string, AlertStatus>();
    let latestRaisedAt: string | undefined;
    for (const event of events) {
      const { alertId } = event.data;
      if (event.type === 'AlertRaised') {
        const { data } = event;
        if (!held.has(alertId) && !raised.has(alertId)) raised.set(alertId, raisedAlertRow(data));
        // Decided up to here (a rebuild learns it from the log, not from ticks it never ran).
        if (latestRaisedAt === undefined || Date.parse(data.raisedAt) > Date.parse(latestRaisedAt)) latestRaisedAt = data.raisedAt;
        continue;
      }
      const status = statusAfter(event);
      const row = raised.get(alertId);
      if (row) {
        if (isLiveStatus(row.status)) row.status = status;
      } else if (held.has(alertId) && isLiveStatus(changed.get(alertId) ?? held.get(alertId)!)) {
        changed.set(alertId, status);
      }
    }
    await this.insertRaised([...raised.values()]);
    if (changed.size > 0) {
      await this.client.query(
        `UPDATE ${this.schema}.alert_state a SET status = c.status FROM unnest($1::text[], $2::text[]) AS c(alert_id, status) WHERE a.alert_id = c.alert_id`,
        [[...changed.keys()], [...changed.values()]],
      );
    }
    if (latestRaisedAt !== undefined) await this.recordClock(latestRaisedAt);
  }

  /** Alerts first seen: one statement for them all (an alert already held is left as it is). */
  async insertRaised(rows: readonly AlertStateRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.query(
      `INSERT INTO ${this.schema}.alert_state (alert_id, code, status, person_ref, local_authority, anchor_at, members)
       SELECT r."alertId", r.code, r.status, r."personRef", r."localAuthority", r."anchorAt", r.members
       FROM jsonb_to_recordset($1::jsonb) AS r("alertId" text, code text, status text, "personRef" text, "localAuthority" text, "anchorAt" timestamptz, members text[])
       ON CONFLICT (alert_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  async statuses(alertIds: readonly string[]): Promise<Map<string, AlertStatus>> {
    if (alertIds.length === 0) return new Map();
    const { rows } = await this.client.query<{ alert_id: string; status: AlertStatus }>(
      `SELECT alert_id, status FROM ${this.schema}.alert_state WHERE alert_id = ANY($1::text[])`, [alertIds],
    );
    return new Map(rows.map((row) => [row.alert_id, row.status]));
  }

  /** Alerts still open or acknowledged that were raised for these people. */
  async liveAlertsOf(personRefs: readonly string[]): Promise<string[]> {
    if (personRefs.length === 0) return [];
    const { rows } = await this.client.query<{ alert_id: string }>(
      `SELECT alert_id FROM ${this.schema}.alert_state WHERE person_ref = ANY($1::text[]) AND status IN ('open', 'acknowledged') ORDER BY alert_id`, [personRefs],
    );
    return rows.map((row) => row.alert_id);
  }

  async knownClusters(localAuthority: string, from: string, to: string): Promise<KnownCluster[]> {
    const { rows } = await this.client.query<{ alert_id: string; members: string[]; anchor_at: Date }>(
      `SELECT alert_id, members, anchor_at FROM ${this.schema}.alert_state
       WHERE code = 'OVERDOSE_CLUSTER' AND local_authority = $1 AND anchor_at BETWEEN $2 AND $3`,
      [localAuthority, from, to],
    );
    return rows.map((row) => ({ alertId: row.alert_id, members: row.members, anchorAt: row.anchor_at.toISOString() }));
  }

  /**
   * Moves the event-time position forward (never back) and returns how far sweeps may go: the later
   * of it and the hub's clock at the last tick (time-based checks already decided up to there).
   */
  async advanceWatermark(candidate: string | undefined): Promise<string | undefined> {
    if (candidate !== undefined) {
      await this.client.query(
        `INSERT INTO ${this.schema}.event_time (singleton, watermark) VALUES (true, $1)
         ON CONFLICT (singleton) DO UPDATE SET watermark = GREATEST(${this.schema}.event_time.watermark, excluded.watermark)`,
        [candidate],
      );
    }
    const { rows } = await this.client.query<{ watermark: Date; clock: Date | null }>(`SELECT watermark, clock FROM ${this.schema}.event_time`);
    const row = rows[0];
    if (!row) return undefined;
    return row.clock && row.clock > row.watermark ? row.clock.toISOString() : row.watermark.toISOString();
  }

  /** How far time-based checks have been decided: the hub's clock at the last tick, or the latest alert raised. */
  async recordClock(now: string): Promise<void> {
    await this.client.query(
      `UPDATE ${this.schema}.event_time SET clock = GREATEST(coalesce(clock, $1::timestamptz), $1::timestamptz)`, [now],
    );
  }

  /** When each of these people next falls due for a time-based check (none: not until their timeline changes). */
  async setNextDue(persons: readonly { personRef: string; nextDueAt: string | undefined }[]): Promise<void> {
    const none = persons.filter((p) => p.nextDueAt === undefined).map((p) => p.personRef);
    const due = persons.filter((p) => p.nextDueAt !== undefined);
    if (none.length > 0) await this.client.query(`DELETE FROM ${this.schema}.person_due WHERE person_ref = ANY($1::text[])`, [none]);
    if (due.length === 0) return;
    await this.client.query(
      `INSERT INTO ${this.schema}.person_due (person_ref, next_due_at) SELECT * FROM unnest($1::text[], $2::timestamptz[])
       ON CONFLICT (person_ref) DO UPDATE SET next_due_at = excluded.next_due_at`,
      [due.map((p) => p.personRef), due.map((p) => p.nextDueAt)],
    );
  }

  async duePersons(until: string): Promise<string[]> {
    const { rows } = await this.client.query<{ person_ref: string }>(
      `SELECT person_ref FROM ${this.schema}.person_due WHERE next_due_at <= $1 ORDER BY person_ref`, [until],
    );
    return rows.map((row) => row.person_ref);
  }

  async indexOverdoses(entries: readonly { position: number; recordKey: string; localAuthority: string; occurredAt: string }[]): Promise<void> {
    if (entries.length === 0) return;
    await this.client.query(
      `INSERT INTO ${this.schema}.overdose_index (position, record_key, local_authority, occurred_at)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[]) ON CONFLICT DO NOTHING`,
      [entries.map((e) => e.position), entries.map((e) => e.recordKey), entries.map((e) => e.localAuthority), entries.map((e) => e.occurredAt)],
    );
  }

  async overdoseAreas(recordKeys: readonly string[]): Promise<{ localAuthority: string; occurredAt: string }[]> {
    if (recordKeys.length === 0) return [];
    const { rows } = await this.client.query<{ local_authority: string; occurred_at: Date }>(
      `SELECT DISTINCT local_authority, occurred_at FROM ${this.schema}.overdose_index WHERE record_key = ANY($1::text[])`, [recordKeys],
    );
    return rows.map((row) => ({ localAuthority: row.local_authority, occurredAt: row.occurred_at.toISOString() }));
  }

  async overdoseKeysNear(localAuthority: string, from: string, to: string): Promise<string[]> {
    const { rows } = await this.client.query<{ record_key: string }>(
      `SELECT DISTINCT record_key FROM ${this.schema}.overdose_index WHERE local_authority = $1 AND occurred_at BETWEEN $2 AND $3`,
      [localAuthority, from, to],
    );
    return rows.map((row) => row.record_key);
  }
}
