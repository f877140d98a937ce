import { isFactEventType, type FactEventType } from '@hub/kernel';

/**
 * The field names of person-level projection rows (worklists, alert payloads, review
 * timelines), grouped by the catalogue type each one comes from. An agreement's optional
 * `fields` grant is written in these names; a row key that is not listed here is never
 * disclosed (deny by default), so a new projection column must be classified here first.
 */
const personFields = [
  'givenName', 'familyName', 'dateOfBirth', 'sex', 'postcodeDistrict',
  'nhsNumber', 'pncId', 'nomisId', 'deliusCrn',
] as const;

const typeFields = {
  'prison.release.recorded.v1': [
    'releasedOn', 'prisonId', 'releaseType', 'destinationLocalAuthority', 'treatmentNeed',
    'substanceGroup', 'referralProviderId', 'referredOn', 'naloxoneIssued',
    'engagementStatus', 'daysLeft',
  ],
  'prison.reception.recorded.v1': ['receivedOn', 'prisonId', 'receptionReason'],
  'treatment.referral.received.v1': ['referralReceivedOn', 'providerId', 'referralSource'],
  'treatment.started.v1': [
    'engagementStatus', 'engagedSince', 'providerId', 'localAuthority', 'treatmentSetting', 'substanceGroup',
  ],
  'treatment.discharged.v1': ['dischargedOn', 'providerId', 'dischargeReason'],
  'probation.supervision.started.v1': [
    'supervisionStartedOn', 'localAuthority', 'supervisionRequirement', 'drugRehabilitationRequirement',
  ],
  'probation.supervision.ended.v1': ['supervisionEndedOn', 'supervisionEndReason'],
  'police.drug-test-on-arrest.recorded.v1': [
    'testedAt', 'localAuthority', 'triggerOffence', 'drugTestResults', 'requiredAssessment',
  ],
  'police.suspected-drug-death.reported.v1': ['diedOn', 'localAuthority', 'suspectedSubstances', 'circumstances'],
  'nhs.non-fatal-overdose.recorded.v1': [
    'overdoseAt', 'localAuthority', 'overdoseSetting', 'suspectedSubstances', 'naloxoneAdministered',
  ],
  'coroner.inquest.concluded.v1': ['inquestConcludedOn', 'drugRelated', 'substances', 'inquestConclusion'],
} as const satisfies Record<FactEventType, readonly string[]>;

/** Kept on every person-level row that may be disclosed at all: the hub's pseudonymous id. */
export const alwaysDisclosedFields = ['personRef'] as const;

export type ProjectionField =
  | (typeof personFields)[number]
  | (typeof typeFields)[FactEventType][number]
  | (typeof alwaysDisclosedFields)[number];

export const projectionFields: readonly ProjectionField[] = [
  ...new Set<ProjectionField>([
    ...alwaysDisclosedFields,
    ...personFields,
    ...Object.values(typeFields).flat(),
  ]),
];

export function isProjectionField(name: string): name is ProjectionField {
  return (projectionFields as readonly string[]).includes(name);
}

/**
 * The fields a row built from `eventType` may carry: the person block plus the type's own
 * fields. Retractions and unknown types carry none (a retraction only removes a record).
 */
export function fieldsOfType(eventType: string): readonly ProjectionField[] {
  if (!isFactEventType(eventType)) return [];
  return [...personFields, ...typeFields[eventType]];
}
