import type { Agency, LocalDate } from '@hub/kernel';
import { type PolicyAgreement, recipientsFor } from '@hub/sharing';
import type { AlertTrigger } from '../alert';
import type { AlertGrant } from '../alert.events';

export interface Routing {
  readonly recipients: readonly string[];
  readonly grants: readonly AlertGrant[];
}

/** The area's local drug information panel: a local-authority agency named as one (`ldis-...`, or "Drug Information" in its name). */
export function isDrugInformationPanel(agency: Agency): boolean {
  return agency.kind === 'local-authority' && (/(^|[-_.])ldis([-_.]|$)/i.test(agency.id) || /drug information/i.test(agency.name));
}

/** The agencies a rule would notify, most responsible first, before the agreements are asked. */
export function candidateAgencies(trigger: AlertTrigger, agencies: readonly Agency[]): string[] {
  const { audience } = trigger;
  const sorted = [...agencies].sort((a, b) => (a.id < b.id ? -1 : 1));
  const ofKind = (kind: Agency['kind']) => sorted.filter((a) => a.kind === kind).map((a) => a.id);
  const treatment = [
    ...audience.treatment,
    ...audience.treatmentProviderIds.flatMap((providerId) => sorted.filter((a) => a.kind === 'treatment' && a.providerId === providerId).map((a) => a.id)),
  ];
  const candidates = [
    ...(treatment.length === 0 && audience.areaTreatmentFallback ? ofKind('treatment') : treatment),
    ...(audience.probation.length === 0 && audience.areaProbationFallback ? ofKind('probation') : audience.probation),
    ...(audience.drugInformationPanel ? sorted.filter(isDrugInformationPanel).map((a) => a.id) : []),
  ];
  return [...new Set(candidates)];
}

/**
 * Who may be sent the alert: each candidate the agreements allow, for the alert's purpose, to
 * receive every kind of record the alert is made of, from the agency that published it (person-level
 * alerts need a person-level grant). Deny by default: no agreement, no recipient.
 */
export function routeAlert(trigger: AlertTrigger, context: { readonly agencies: readonly Agency[]; readonly agreements: readonly PolicyAgreement[]; readonly on: LocalDate }): Routing {
  let allowed = candidateAgencies(trigger, context.agencies);
  const sources = [...new Map(trigger.triggers.map((t) => [`${t.provider}|${t.type}`, t])).values()];
  let grants: AlertGrant[] = [];
  sources.forEach((source, index) => {
    const granted = recipientsFor(context.agreements, {
      purpose: trigger.purpose, provider: source.provider, eventType: source.type, on: context.on, candidates: allowed,
    }).filter((grant) => !trigger.personLevel || grant.personLevel);
    const names = new Set(granted.map((grant) => grant.recipient));
    allowed = allowed.filter((recipient) => names.has(recipient));
    if (index === 0) {
      grants = granted.map((g) => ({ recipient: g.recipient, agreementId: g.agreementId, clause: g.clause, personLevel: g.personLevel }));
    }
  });
  return { recipients: allowed, grants: grants.filter((grant) => allowed.includes(grant.recipient)) };
}
