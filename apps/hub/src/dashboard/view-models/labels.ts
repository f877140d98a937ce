import type { AlertCode } from '@hub/alerts';
import type { Purpose } from '@hub/kernel';

export const alertTitles: Record<AlertCode, string> = {
  ENGAGEMENT_AT_RISK: 'Not yet engaged with treatment after release',
  POST_RELEASE_OVERDOSE: 'Overdose within 28 days of release',
  OVERDOSE_NOT_IN_TREATMENT: 'Overdose, not in treatment',
  REPEAT_OVERDOSE: 'Repeat overdose within 30 days',
  OVERDOSE_CLUSTER: 'Cluster of overdoses in one area',
  DTOA_POSITIVE_NOT_IN_TREATMENT: 'Positive drug test on arrest, not in treatment',
};

export const purposeNames: Record<Purpose, string> = {
  'continuity-of-care': 'continuity of care',
  'near-miss-alerting': 'near-miss alerting',
  'drd-review': 'drug-related death review',
  'aggregate-reporting': 'aggregate reporting',
};

/** Field names of the sharing vocabulary, as a person reading the page would say them. */
const fieldLabels: Readonly<Record<string, string>> = {
  overdoseAt: 'Overdose at', localAuthority: 'Local authority', overdoseSetting: 'Setting', suspectedSubstances: 'Suspected substances',
  naloxoneAdministered: 'Naloxone administered', releasedOn: 'Released on', prisonId: 'Prison', releaseType: 'Release type',
  destinationLocalAuthority: 'Released to (local authority)', substanceGroup: 'Substance group', referralProviderId: 'Referred to (provider)',
  referredOn: 'Referred on', naloxoneIssued: 'Naloxone issued on release', engagementStatus: 'Engagement', daysLeft: 'Days left in the 21-day window',
  testedAt: 'Tested at', triggerOffence: 'Trigger offence', drugTestResults: 'Test results', requiredAssessment: 'Required assessment',
  count: 'Overdoses', windowHours: 'Within (hours)', from: 'First', to: 'Latest', receivedOn: 'Received on', receptionReason: 'Reason',
  referralReceivedOn: 'Referral received on', providerId: 'Provider', referralSource: 'Referral source', engagedSince: 'Engaged since',
  treatmentSetting: 'Setting', dischargedOn: 'Discharged on', dischargeReason: 'Discharge reason', supervisionStartedOn: 'Supervision started on',
  supervisionRequirement: 'Requirement', drugRehabilitationRequirement: 'Drug rehabilitation requirement', supervisionEndedOn: 'Supervision ended on',
  supervisionEndReason: 'Reason', diedOn: 'Died on', circumstances: 'Circumstances', inquestConcludedOn: 'Inquest concluded on',
  drugRelated: 'Drug related', substances: 'Substances', inquestConclusion: 'Conclusion', treatmentNeed: 'Treatment need',
};

export function fieldLabel(name: string): string {
  return fieldLabels[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()).replace(/ ([A-Z])(?=[a-z])/g, (_, c: string) => ` ${c.toLowerCase()}`);
}

/** A field's value as text: yes/no, lists joined, `{ substance, count }` pairs and test results spelt out, empty as "None". */
export function fieldText(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'None';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length === 0 ? 'None' : value.map(fieldText).join(', ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('substance' in record && 'count' in record) return `${fieldText(record.substance)} (${fieldText(record.count)})`;
    if ('substance' in record && 'result' in record) return `${fieldText(record.substance)}: ${fieldText(record.result)}`;
    return Object.entries(record).map(([k, v]) => `${fieldLabel(k)}: ${fieldText(v)}`).join('; ');
  }
  return String(value);
}

const localAuthorityFields = new Set(['localAuthority', 'destinationLocalAuthority']);

/** Details as label/value rows; local authority codes by name where the area names them. */
export function detailRows(details: Readonly<Record<string, unknown>>, localAuthorities: readonly { code: string; name: string }[] = []): { key: string; value: string }[] {
  return Object.entries(details).map(([key, value]) => {
    const named = localAuthorityFields.has(key) ? localAuthorities.find((la) => la.code === value) : undefined;
    return { key: fieldLabel(key), value: named ? `${named.name} (${named.code})` : fieldText(value) };
  });
}
