import type { AgreementPurpose } from '@hub/kernel';
import { type OutboxDelivery, outboundEvent } from '@hub/outbox';
import { type AgreementState, type AreaDirectory, type DirectoryEvent, evolveAgreement, initialAgreementState, isRegistered, toStoreType } from '@hub/sharing';

export const agreementChangedType = 'hub.agreement.changed.v1';

/** A directory event as appended: its hub event id travels out as the notice's id. */
export interface AppendedDirectoryEvent {
  readonly eventId: string;
  readonly event: DirectoryEvent;
}

/**
 * `hub.agreement.changed.v1` for every party of each agreement change (providers and recipients,
 * before and after, so an agency a revision drops hears of it too), in change order. Each notice
 * carries the agreement's state after the change and the purposes the agency provides or receives for.
 */
export function agreementChangeNotices(before: AreaDirectory, appended: readonly AppendedDirectoryEvent[], areaId: string, at: string): OutboxDelivery[] {
  const states = new Map<string, AgreementState>(before.agreements);
  const byAgency = new Map<string, ReturnType<typeof outboundEvent>[]>();
  for (const { eventId, event } of appended) {
    if (event.type === 'AreaConfigured') continue;
    const previous = states.get(event.data.agreementId) ?? initialAgreementState;
    const next = evolveAgreement(previous, event);
    states.set(event.data.agreementId, next);
    if (!isRegistered(next)) continue;
    for (const agency of [...new Set([...partiesOf(previous), ...partiesOf(next)])]) {
      const notice = outboundEvent({
        id: eventId, areaId, type: agreementChangedType, time: at,
        data: {
          agreementId: next.id, version: next.version, status: next.status, title: next.title,
          effectiveFrom: next.effectiveFrom, effectiveTo: next.effectiveTo, change: toStoreType(event),
          providesFor: purposesWhere(next.purposes, agency, 'providers'), receivesFor: purposesWhere(next.purposes, agency, 'recipients'),
        },
      });
      byAgency.set(agency, [...(byAgency.get(agency) ?? []), notice]);
    }
  }
  return [...byAgency].map(([agencyId, events]) => ({ agencyId, events }));
}

function partiesOf(state: AgreementState): string[] {
  return isRegistered(state) ? state.purposes.flatMap((clause) => [...clause.providers, ...clause.recipients]) : [];
}

function purposesWhere(purposes: readonly AgreementPurpose[], agency: string, role: 'providers' | 'recipients'): string[] {
  return purposes.filter((clause) => clause[role].includes(agency)).map((clause) => clause.purpose);
}
