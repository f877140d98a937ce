import type { PoolClient } from 'pg';
import type { StoredEvent } from '@hub/event-store';
import type { BulkRebuild, BulkRebuildContext, Projection, ProjectionContext } from '@hub/projections';
import { alertEventFromStored, alertStoreTypeList } from '../alert.events';
import { type AlertState, evolveAlert, initialAlertState, type RaisedAlertState } from '../lifecycle/alert-lifecycle.decider';

/** An alert as the read model holds it: its state, the position that raised it and the last that changed it (0: unchanged by this fold). */
interface AlertRow {
  readonly state: AlertState;
  readonly seq: number;
  readonly updated: number;
}

/**
 * The alerts read model: one row per alert, folded from the alert events in the log with the
 * lifecycle's `evolve`. Nothing here decides, so a rebuild gives exactly the alerts the log holds.
 */
export class AlertsProjection implements Projection {
  readonly name = 'alerts';
  readonly version = 1;
  readonly eventTypes = alertStoreTypeList;

  async install(client: PoolClient, schema: string): Promise<void> {
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${schema}.alerts (
        alert_id text PRIMARY KEY, seq bigint NOT NULL, code text NOT NULL, priority text NOT NULL, purpose text NOT NULL,
        status text NOT NULL, raised_at timestamptz NOT NULL, person_ref text, local_authority text,
        recipients text[] NOT NULL, state jsonb NOT NULL, updated_seq bigint NOT NULL);
      CREATE INDEX IF NOT EXISTS alerts_recipients ON ${schema}.alerts USING gin (recipients);
      CREATE INDEX IF NOT EXISTS alerts_status ON ${schema}.alerts (status, raised_at);
      CREATE INDEX IF NOT EXISTS alerts_updated ON ${schema}.alerts (updated_seq);
      -- The list's order, so a page after a cursor walks 100 rows onwards instead of sorting every
      -- alert after it (a recipient paging through 44,000 alerts: 46 ms a page, 0.2 ms with it).
      -- Installed on the next start where the table exists already (the statement is idempotent).
      CREATE INDEX IF NOT EXISTS alerts_order ON ${schema}.alerts (raised_at, alert_id);`);
  }

  async apply(events: readonly StoredEvent[], { client, schema }: ProjectionContext): Promise<void> {
    const alertIds = [...new Set(events.map((e) => (e.data as { alertId?: string }).alertId).filter((id): id is string => typeof id === 'string'))];
    const { rows } = await client.query<{ alert_id: string; seq: string; state: AlertState }>(
      `SELECT alert_id, seq, state FROM ${schema}.alerts WHERE alert_id = ANY($1::text[])`, [alertIds],
    );
    const states = foldAlerts(new Map(rows.map((row) => [row.alert_id, { state: row.state, seq: Number(row.seq), updated: 0 }])), events);
    const changed = [...states].filter(([, row]) => isWritten(row)).map(([alertId, row]) => rowOf(alertId, row as AlertRow & { state: RaisedAlertState }));
    if (changed.length === 0) return;
    await client.query(
      `INSERT INTO ${schema}.alerts (alert_id, seq, code, priority, purpose, status, raised_at, person_ref, local_authority, recipients, state, updated_seq)
       SELECT alert_id, seq, code, priority, purpose, status, raised_at, person_ref, local_authority, recipients, state, updated_seq
       FROM jsonb_to_recordset($1::jsonb) AS r(alert_id text, seq bigint, code text, priority text, purpose text, status text, raised_at timestamptz,
         person_ref text, local_authority text, recipients text[], state jsonb, updated_seq bigint)
       ON CONFLICT (alert_id) DO UPDATE SET status = excluded.status, state = excluded.state, updated_seq = excluded.updated_seq`,
      [JSON.stringify(changed)],
    );
  }

  /** Rebuild in bulk: the same fold over the whole log in memory (one small row per alert), then one COPY. */
  bulkRebuild({ copy }: BulkRebuildContext): BulkRebuild {
    let states = new Map<string, AlertRow>();
    return {
      apply: async (events) => {
        states = foldAlerts(states, events);
      },
      finish: async () => {
        const rows = [...states].flatMap(([alertId, row]) => (isWritten(row) ? [[alertId, row] as const] : []));
        await copy('alerts', ['alert_id', 'seq', 'code', 'priority', 'purpose', 'status', 'raised_at', 'person_ref', 'local_authority', 'recipients', 'state', 'updated_seq'],
          rows.map(([alertId, { seq, updated, state }]) => {
            const { alert } = state;
            return [alertId, seq, alert.code, alert.priority, alert.purpose, state.status, alert.raisedAt, alert.personRef, alert.localAuthority, alert.recipients, JSON.stringify(state), updated];
          }));
        states.clear();
      },
    };
  }
}

/** Folds alert events, in log order, into the rows they change (`evolveAlert`); an alert first seen is numbered by its first event. */
function foldAlerts(states: Map<string, AlertRow>, events: readonly StoredEvent[]): Map<string, AlertRow> {
  for (const stored of events) {
    const event = alertEventFromStored(stored);
    if (!event) continue;
    const current = states.get(event.data.alertId) ?? { state: initialAlertState, seq: stored.globalPosition, updated: 0 };
    const next = evolveAlert(current.state, event);
    if (next !== current.state) states.set(event.data.alertId, { state: next, seq: current.seq, updated: stored.globalPosition });
  }
  return states;
}

/** A row is written once the alert was raised and this fold changed it. */
function isWritten(row: AlertRow): row is AlertRow & { state: RaisedAlertState } {
  return row.state.status !== 'none' && row.updated !== 0;
}

/** One alert's row, as the insert reads it (every alert of a page is written in one statement). */
function rowOf(alertId: string, { seq, updated, state }: AlertRow & { state: RaisedAlertState }) {
  const { alert } = state;
  return {
    alert_id: alertId, seq, code: alert.code, priority: alert.priority, purpose: alert.purpose, status: state.status, raised_at: alert.raisedAt,
    person_ref: alert.personRef, local_authority: alert.localAuthority, recipients: alert.recipients, state, updated_seq: updated,
  };
}
