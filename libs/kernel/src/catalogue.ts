/** The event catalogue, v1 (SPEC section 3): each type and the kind of agency that may publish it. */
export const agencyKinds = ['police', 'prison', 'probation', 'nhs', 'treatment', 'coroner', 'local-authority'] as const;
export type AgencyKind = (typeof agencyKinds)[number];

export const factEventTypes = {
  'police.drug-test-on-arrest.recorded.v1': 'police',
  'police.suspected-drug-death.reported.v1': 'police',
  'prison.reception.recorded.v1': 'prison',
  'prison.release.recorded.v1': 'prison',
  'probation.supervision.started.v1': 'probation',
  'probation.supervision.ended.v1': 'probation',
  'treatment.referral.received.v1': 'treatment',
  'treatment.started.v1': 'treatment',
  'treatment.discharged.v1': 'treatment',
  'nhs.non-fatal-overdose.recorded.v1': 'nhs',
  'coroner.inquest.concluded.v1': 'coroner',
} as const satisfies Record<string, AgencyKind>;

export type FactEventType = keyof typeof factEventTypes;

/** Kinds that publish facts, and so may retract them. */
export const publishingKinds = ['police', 'prison', 'probation', 'nhs', 'treatment', 'coroner'] as const;
export type PublishingKind = (typeof publishingKinds)[number];

export type RetractionEventType = `${PublishingKind}.record.retracted.v1`;
export const retractionEventTypes: readonly RetractionEventType[] = publishingKinds.map(
  (kind) => `${kind}.record.retracted.v1` as const,
);

export type AgencyEventType = FactEventType | RetractionEventType;

export const agencyEventTypes: readonly AgencyEventType[] = [
  ...(Object.keys(factEventTypes) as FactEventType[]),
  ...retractionEventTypes,
];

/** A type string that looks like `<kind>.<noun>.<verb>.v<N>`; used to tell UNKNOWN_TYPE from SCHEMA_INVALID. */
export const eventTypePattern = '^[a-z][a-z-]*(\\.[a-z][a-z-]*)+\\.v[1-9][0-9]*$';

export function isFactEventType(type: string): type is FactEventType {
  return Object.prototype.hasOwnProperty.call(factEventTypes, type);
}

export function isRetractionEventType(type: string): type is RetractionEventType {
  return (retractionEventTypes as readonly string[]).includes(type);
}

export function isAgencyEventType(type: string): type is AgencyEventType {
  return isFactEventType(type) || isRetractionEventType(type);
}

/** The kind of agency that owns (may publish) a catalogue type. */
export function publisherKindOf(type: AgencyEventType): PublishingKind {
  if (isFactEventType(type)) return factEventTypes[type];
  return type.slice(0, type.indexOf('.')) as PublishingKind;
}
