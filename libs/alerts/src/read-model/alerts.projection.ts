import type { PoolClient } from 'pg';
import type { StoredEvent } from '@hub/event-store';
import type { Projection, ProjectionContext } from '@hub/projections';
import { alertEventFromStored, alertStoreTypeList } from '../alert.events';
import { type AlertState, evolveAlert, initialAlertState, type RaisedAlertState } from '../lifecycle/alert-lifecycle.decider';

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
      CREATE INDEX IF NOT EXISTS alerts_updated ON ${schema}.alerts (updated_seq);`);
  }

  async apply(events: readonly StoredEvent[], { client, schema }: ProjectionContext): Promise<void> {
    const alertIds = [...new Set(events.map((e) => (e.data as { alertId?: string }).alertId).filter((id): id is string => typeof id === 'string'))];
    const { rows } = await client.query<{ alert_id: string; seq: string; state: AlertState }>(
      `SELECT alert_id, seq, state FROM ${schema}.alerts WHERE alert_id = ANY($1::text[])`, [alertIds],
    );
    const states = new Map(rows.map((row) => [row.alert_id, { state: row.state, seq: Number(row.seq), updated: 0 }]));
    for (const stored of events) {
      const event = alertEventFromStored(stored);
      if (!event) continue;
      const current = states.get(event.data.alertId) ?? { state: initialAlertState, seq: stored.globalPosition, updated: 0 };
      const next = evolveAlert(current.state, event);
      if (next !== current.state) states.set(event.data.alertId, { state: next, seq: current.seq, updated: stored.globalPosition });
    }
    const changed = [...states].filter(([, { state, updated }]) => state.status !== 'none' && updated !== 0)
      .map(([alertId, { state, seq, updated }]) => rowOf(alertId, seq, updated, state as RaisedAlertState));
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
}

/** One alert's row, as the insert reads it (every alert of a page is written in one statement). */
function rowOf(alertId: string, seq: number, updated: number, state: RaisedAlertState) {
  const { alert } = state;
  return {
    alert_id: alertId, seq, code: alert.code, priority: alert.priority, purpose: alert.purpose, status: state.status, raised_at: alert.raisedAt,
    person_ref: alert.personRef, local_authority: alert.localAuthority, recipients: alert.recipients, state, updated_seq: updated,
  };
}
