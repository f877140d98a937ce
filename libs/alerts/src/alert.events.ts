import type { LocalDate, Purpose } from '@hub/kernel';
import type { AlertCode, AlertPriority, ResolutionReason, TriggerRecord } from './alert';

/** A recipient the agreements allow, and the clause that allows it (named again in the disclosure log). */
export interface AlertGrant {
  readonly recipient: string;
  readonly agreementId: string;
  readonly clause: string;
  readonly personLevel: boolean;
}

export interface AlertRaisedData {
  readonly alertId: string;
  readonly code: AlertCode;
  readonly priority: AlertPriority;
  readonly purpose: Purpose;
  /** Null for aggregate alerts (OVERDOSE_CLUSTER). */
  readonly personRef: string | null;
  readonly localAuthority: string | null;
  /** When the condition first held, at its event-time position (or the due instant of a time-based check). */
  readonly raisedAt: string;
  readonly occurredOn: LocalDate;
  readonly triggers: readonly TriggerRecord[];
  /** Agency ids, in the order the rule named them. */
  readonly recipients: readonly string[];
  readonly grants: readonly AlertGrant[];
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AlertAcknowledgedData {
  readonly alertId: string;
  readonly by: string;
  readonly note: string;
  readonly at: string;
}

export interface AlertResolvedData {
  readonly alertId: string;
  readonly reason: ResolutionReason;
  readonly resolvedAt: string;
}

export interface AlertClosedData {
  readonly alertId: string;
  readonly by: string;
  readonly note: string;
  readonly at: string;
}

export type AlertEvent =
  | { readonly type: 'AlertRaised'; readonly data: AlertRaisedData }
  | { readonly type: 'AlertAcknowledged'; readonly data: AlertAcknowledgedData }
  | { readonly type: 'AlertResolved'; readonly data: AlertResolvedData }
  | { readonly type: 'AlertClosed'; readonly data: AlertClosedData };

/**
 * Store types. Alerts are hub events in the one log: the outbox relays them to the recipients'
 * outbound topics (`recipients` on the raised event says who), the read model serves HTTP and CLI.
 */
export const alertStoreTypes = {
  AlertRaised: 'hub.alert.raised.v1',
  AlertAcknowledged: 'hub.alert.acknowledged.v1',
  AlertResolved: 'hub.alert.resolved.v1',
  AlertClosed: 'hub.alert.closed.v1',
} as const satisfies Record<AlertEvent['type'], string>;

export const alertStoreTypeList: readonly string[] = Object.values(alertStoreTypes);

const byStoreType = new Map<string, AlertEvent['type']>(
  Object.entries(alertStoreTypes).map(([name, storeType]) => [storeType, name as AlertEvent['type']]),
);

export function alertEventFromStored(stored: { readonly type: string; readonly data: unknown }): AlertEvent | undefined {
  const type = byStoreType.get(stored.type);
  return type ? ({ type, data: stored.data } as AlertEvent) : undefined;
}

export function alertStreamId(alertId: string): string {
  return `alert-${alertId}`;
}
