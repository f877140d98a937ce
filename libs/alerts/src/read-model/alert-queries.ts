import type { Queryable } from '@hub/database';
import { DomainError, type Purpose } from '@hub/kernel';
import { readEntry } from '@hub/projections';
import { type AlertCode, alertCodes, type AlertPriority, alertPriorities, type AlertStatus, alertStatuses } from '../alert';
import type { AlertGrant } from '../alert.events';
import type { RaisedAlertState } from '../lifecycle/alert-lifecycle.decider';

/**
 * `open` = still to act on (open or acknowledged); `closed` = finished (resolved or closed);
 * `unacknowledged` = open and nobody has acknowledged it yet (the dashboard's "to act on" list).
 */
export const alertStatusFilters = ['open', 'closed', 'all', ...alertStatuses.filter((s) => s !== 'open' && s !== 'closed'), 'unacknowledged'] as const;
export type AlertStatusFilter = (typeof alertStatusFilters)[number];

const statusesOf: Record<AlertStatusFilter, readonly AlertStatus[]> = {
  open: ['open', 'acknowledged'], closed: ['resolved', 'closed'], all: alertStatuses, acknowledged: ['acknowledged'], resolved: ['resolved'],
  unacknowledged: ['open'],
};

export interface AlertFilter {
  readonly status?: AlertStatusFilter;
  readonly code?: AlertCode;
  readonly priority?: AlertPriority;
  /** Only alerts sent to this agency. */
  readonly recipient?: string;
  readonly purpose?: Purpose;
  /** One alert by id (still subject to the other conditions). */
  readonly alertId?: string;
  /** Alerts about this person (subject access). */
  readonly personRef?: string;
  /** Alerts raised or changed after this log position (the live stream). */
  readonly changedAfter?: number;
  /** At most this many (a page). */
  readonly limit?: number;
  /** The page after this alert, in the listing's order (raised, then id): a cursor. */
  readonly after?: string;
}

/** The largest page a caller may ask for (`limit`). */
export const maxAlertPage = 1000;

/** An alert as the hub shows it. */
export interface AlertView {
  readonly id: string;
  readonly code: AlertCode;
  readonly priority: AlertPriority;
  readonly status: AlertStatus;
  readonly raisedAt: string;
  readonly personRef: string | null;
  readonly localAuthority: string | null;
  readonly recipients: readonly string[];
  readonly purpose: Purpose;
  readonly occurredOn: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly triggers: RaisedAlertState['alert']['triggers'];
  readonly grants: readonly AlertGrant[];
  readonly acknowledgements: RaisedAlertState['acknowledgements'];
  readonly resolution: RaisedAlertState['resolution'] | null;
  readonly closure: RaisedAlertState['closure'] | null;
  /** Log position of the latest change. */
  readonly updatedSeq: number;
}

export function parseAlertFilter(query: { status?: unknown; code?: unknown; priority?: unknown; limit?: unknown; after?: unknown }): Pick<AlertFilter, 'status' | 'code' | 'priority' | 'limit' | 'after'> {
  const pick = <T extends string>(field: string, value: unknown, allowed: readonly T[]): T | undefined => {
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw new DomainError('REQUEST.INVALID_FILTER', `${field}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
    }
    return value as T;
  };
  const limit = query.limit === undefined || query.limit === '' ? undefined : Number(query.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= maxAlertPage)) {
    throw new DomainError('REQUEST.INVALID_FILTER', `limit: ${JSON.stringify(query.limit)} is not a whole number from 1 to ${maxAlertPage}`);
  }
  if (query.after !== undefined && (typeof query.after !== 'string' || query.after === '' || query.after.length > 200)) {
    throw new DomainError('REQUEST.INVALID_FILTER', `after: ${JSON.stringify(query.after)} is not an alert id`);
  }
  return {
    status: pick('status', query.status, alertStatusFilters), code: pick('code', query.code, alertCodes), priority: pick('priority', query.priority, alertPriorities),
    ...(limit !== undefined ? { limit } : {}), ...(query.after !== undefined ? { after: query.after as string } : {}),
  };
}

export class AlertQueries {
  constructor(private readonly database: Queryable) {}

  private schema(): Promise<string | undefined> {
    return activeSchema(this.database, 'alerts');
  }

  async list(filter: AlertFilter = {}): Promise<AlertView[]> {
    const schema = await this.schema();
    if (!schema) return [];
    const { rows } = await this.database.query<{ state: RaisedAlertState; updated_seq: string }>(
      `SELECT state, updated_seq FROM ${schema}.alerts
       WHERE status = ANY($1::text[]) AND ($2::text IS NULL OR code = $2) AND ($3::text IS NULL OR priority = $3)
         AND ($4::text IS NULL OR $4 = ANY(recipients)) AND ($5::text IS NULL OR purpose = $5) AND updated_seq > $6
         AND ($8::text IS NULL OR alert_id = $8) AND ($9::text IS NULL OR person_ref = $9)
         AND ($10::text IS NULL OR (raised_at, alert_id) > (SELECT raised_at, alert_id FROM ${schema}.alerts WHERE alert_id = $10))
       ORDER BY ${filter.changedAfter === undefined ? 'raised_at, alert_id' : 'updated_seq'} LIMIT $7`,
      [statusesOf[filter.status ?? 'all'], filter.code ?? null, filter.priority ?? null, filter.recipient ?? null, filter.purpose ?? null,
        filter.changedAfter ?? 0, filter.limit ?? 10_000, filter.alertId ?? null, filter.personRef ?? null, filter.after ?? null],
    );
    return rows.map((row) => toView(row.state, Number(row.updated_seq)));
  }

  async get(alertId: string): Promise<AlertView | undefined> {
    const schema = await this.schema();
    if (!schema) return undefined;
    const { rows } = await this.database.query<{ state: RaisedAlertState; updated_seq: string }>(
      `SELECT state, updated_seq FROM ${schema}.alerts WHERE alert_id = $1`, [alertId],
    );
    return rows[0] ? toView(rows[0].state, Number(rows[0].updated_seq)) : undefined;
  }

  /** The newest change position (where a live stream starts). */
  async lastChange(): Promise<number> {
    const schema = await this.schema();
    if (!schema) return 0;
    const { rows } = await this.database.query<{ max: string | null }>(`SELECT max(updated_seq)::text AS max FROM ${schema}.alerts`);
    return Number(rows[0]?.max ?? 0);
  }
}

/** The live schema of the read model; undefined before the projection first ran (an API started before its projector). */
async function activeSchema(database: Queryable, name: string): Promise<string | undefined> {
  return (await readEntry(database, name))?.activeSchema;
}

function toView(state: RaisedAlertState, updatedSeq: number): AlertView {
  const { alert } = state;
  return {
    id: alert.alertId, code: alert.code, priority: alert.priority, status: state.status, raisedAt: alert.raisedAt, personRef: alert.personRef,
    localAuthority: alert.localAuthority, recipients: alert.recipients, purpose: alert.purpose, occurredOn: alert.occurredOn, details: alert.details,
    triggers: alert.triggers, grants: alert.grants, acknowledgements: state.acknowledgements, resolution: state.resolution ?? null,
    closure: state.closure ?? null, updatedSeq,
  };
}

/** SPEC section 8: exactly these fields, in this order. */
export function toCliAlert(alert: AlertView) {
  return {
    id: alert.id, code: alert.code, priority: alert.priority, status: alert.status, raisedAt: alert.raisedAt,
    personRef: alert.personRef, localAuthority: alert.localAuthority, recipients: alert.recipients,
  };
}
