import type { Agency, Area } from '@hub/kernel';
import type { AgreementEvent, AgreementEventType } from '../agreement/agreement.events';

/** The area and its agencies, as configured by `hub init` (one stream per area). */
export interface AreaConfigured {
  readonly type: 'AreaConfigured';
  readonly data: { readonly area: Area; readonly agencies: readonly Agency[]; readonly by: string; readonly at: string };
}

export type DirectoryEvent = AreaConfigured | AgreementEvent;

/** Store type names of the hub's own directory events (`hub.<noun>.<verb>.v1`). */
export const directoryStoreTypes = {
  AreaConfigured: 'hub.area.configured.v1',
  AgreementRegistered: 'hub.agreement.registered.v1',
  AgreementActivated: 'hub.agreement.activated.v1',
  AgreementSuspended: 'hub.agreement.suspended.v1',
  AgreementExpired: 'hub.agreement.expired.v1',
  AgreementTerminated: 'hub.agreement.terminated.v1',
  AgreementRevised: 'hub.agreement.revised.v1',
} as const satisfies Record<AgreementEventType | 'AreaConfigured', string>;

const byStoreType = new Map<string, DirectoryEvent['type']>(
  Object.entries(directoryStoreTypes).map(([name, storeType]) => [storeType, name as DirectoryEvent['type']]),
);

export const directoryStoreTypeList: readonly string[] = Object.values(directoryStoreTypes);

export function toStoreType(event: DirectoryEvent): string {
  return directoryStoreTypes[event.type];
}

/** A stored hub event back into its domain shape; undefined for any other type. */
export function fromStored(stored: { readonly type: string; readonly data: unknown }): DirectoryEvent | undefined {
  const type = byStoreType.get(stored.type);
  return type ? ({ type, data: stored.data } as DirectoryEvent) : undefined;
}

export function areaStreamId(areaId: string): string {
  return `area-${areaId}`;
}

export const hubSource = 'hub';
