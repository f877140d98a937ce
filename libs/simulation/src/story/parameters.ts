import type { PublishingKind } from '@hub/kernel';
import type { WeightedTable } from '../random/random';
import type { Segment } from './person-profile';

/**
 * The realism knobs, in one place. Rates are per person, per release or per record; hazards are
 * events per person-year in the community. Sources: BRIEF.md (C20 engagement ~50%, DTOA 56%
 * positive, death risk 3-8x in the first two weeks after release, ~4x without treatment).
 */
export type SubstanceGroup = 'opiate' | 'non-opiate-only' | 'non-opiate-and-alcohol' | 'alcohol-only';
export type Range = readonly [min: number, max: number];

export const population = {
  segmentWeights: [['prison-leaver', 55], ['community-offender', 25], ['community-treatment', 20]] as WeightedTable<Segment>,
  nonBinaryShare: 0.003,
  maleShareInPrison: 0.9,
  maleShareInCommunity: 0.68,
  policeRecordShareOfTreatmentOnly: 0.3,
  prisonHistoryShareInCommunity: 0.35,
  minorShareOfPrisonLeavers: 0.015,
  leapDayBirthShare: 0.005,
};

export const substanceUse = {
  treatmentNeedShareOfPrisonLeavers: 0.6,
  problemUseShareInCommunity: 0.9,
  groupWeights: [['opiate', 48], ['non-opiate-only', 22], ['non-opiate-and-alcohol', 15], ['alcohol-only', 15]] as WeightedTable<SubstanceGroup>,
  opiateUseWithoutNeed: 0.05,
  cocaineUseShare: { opiate: 0.6, 'non-opiate-only': 0.8, 'non-opiate-and-alcohol': 0.65, 'alcohol-only': 0.15, none: 0.25 },
};

export type ReleaseType = 'licence' | 'end-of-sentence' | 'remand-ended' | 'transfer' | 'deportation';
export type ReceptionReason = 'remand' | 'sentenced' | 'recall';

export const release = {
  typeWeights: [['licence', 56], ['end-of-sentence', 24], ['remand-ended', 14], ['transfer', 4], ['deportation', 2]] as WeightedTable<ReleaseType>,
  receptionInWindowShare: 0.15,
  daysFromReceptionToRelease: [14, 120] as Range,
  /** Release planning (need assessment, referral) happens this many days before release. */
  planningDaysBeforeRelease: [0, 21] as Range,
  referralShareGivenNeed: 0.88,
  referralShareOnTransfer: 0.1,
  referralReceivedShare: 0.9,
  otherProviderShare: 0.08,
  prisonSettingStartShare: 0.15,
  naloxoneIssued: { opiate: 0.8, otherNeed: 0.35, noNeed: 0.08 },
};

/** Days from release to a community treatment start for cohort releases (null: never). */
export const engagementDelay: WeightedTable<Range | null> = [
  [[0, 0], 10], [[1, 7], 20], [[8, 14], 12], [[15, 21], 8], [[22, 60], 12], [[61, 150], 6], [null, 32],
];

export type TreatmentSetting = 'community' | 'inpatient' | 'residential' | 'prison';
export type DischargeReason = 'completed' | 'dropped-out' | 'transferred' | 'custody' | 'died' | 'other';

export const treatment = {
  settingWeights: [['community', 94], ['residential', 4], ['inpatient', 2]] as WeightedTable<TreatmentSetting>,
  dischargeWeights: [
    [{ reason: 'completed', days: [90, 300] }, 35], [{ reason: 'dropped-out', days: [14, 180] }, 40],
    [{ reason: 'transferred', days: [30, 200] }, 8], [{ reason: 'other', days: [30, 200] }, 7], [null, 10],
  ] as WeightedTable<{ reason: DischargeReason; days: Range } | null>,
  daysFromSelfReferralToStart: [0, 14] as Range,
  referralAfterOverdoseShare: 0.25,
  startAfterHealthReferralShare: 0.5,
  daysFromHealthReferralToStart: [7, 40] as Range,
};

export const custody = {
  reasonOnLicence: [['recall', 60], ['remand', 25], ['sentenced', 15]] as WeightedTable<ReceptionReason>,
  reasonOtherwise: [['remand', 60], ['sentenced', 40]] as WeightedTable<ReceptionReason>,
  daysInCustody: { remand: [14, 84], recall: [28, 180], sentenced: [30, 240] } as Record<ReceptionReason, Range>,
  releaseTypeAfter: {
    remand: [['remand-ended', 70], ['licence', 20], ['end-of-sentence', 10]],
    recall: [['licence', 50], ['end-of-sentence', 50]],
    sentenced: [['licence', 60], ['end-of-sentence', 40]],
  } as Record<ReceptionReason, WeightedTable<ReleaseType>>,
};

export type Requirement = 'licence' | 'community-order' | 'suspended-sentence';

export const probation = {
  licenceDays: [90, 365] as Range,
  communityOrderShareOfOffenders: 0.3,
  orderRequirementWeights: [['community-order', 65], ['suspended-sentence', 35]] as WeightedTable<Requirement>,
  drugRehabilitationRequirementShare: 0.35,
  orderDays: [180, 365] as Range,
  orderEndWeights: [['order-completed', 75], ['revoked', 25]] as WeightedTable<string>,
};

type ByGroup = Record<SubstanceGroup | 'none', number>;

/** Annual hazards in the community and their multipliers. */
export const hazards = {
  overdose: { opiate: 0.15, 'non-opiate-only': 0.04, 'non-opiate-and-alcohol': 0.05, 'alcohol-only': 0.02, none: 0.005 } as ByGroup,
  overdoseInTreatment: 0.5,
  overdoseFirstTwoWeeksAfterRelease: 6,
  overdoseWithin30DaysOfOverdose: 15,
  death: { opiate: 0.012, 'non-opiate-only': 0.003, 'non-opiate-and-alcohol': 0.004, 'alcohol-only': 0.003, none: 0.0005 } as ByGroup,
  deathFirstTwoWeeksAfterRelease: 5,
  deathNotInTreatment: 2,
  deathInTreatment: 0.5,
  deathWithin30DaysOfOverdose: 3,
  drugTestOnArrest: { 'prison-leaver': 0.6, 'community-offender': 1.5, 'community-treatment': 0.1 } as Record<Segment, number>,
  custody: { 'prison-leaver': 0.3, 'community-offender': 0.15, 'community-treatment': 0.02 } as Record<Segment, number>,
  recallWhileOnLicence: 0.45,
  selfReferral: { opiate: 0.35, 'non-opiate-only': 0.2, 'non-opiate-and-alcohol': 0.2, 'alcohol-only': 0.2, none: 0 } as ByGroup,
};

export const drugTest = {
  triggerOffenceShare: 0.92,
  refusedShare: 0.04,
  positiveGivenUse: 0.8,
  otherSubstanceTestedShare: 0.15,
  otherPositiveShare: 0.3,
  assessmentReferralShare: 0.4,
  startAfterAssessmentShare: 0.5,
  daysFromAssessmentToStart: [7, 42] as Range,
  remandAfterArrestShare: 0.1,
};

export type OverdoseSetting = 'ambulance' | 'emergency-department' | 'community';

export const overdose = {
  settingWeights: [['ambulance', 55], ['emergency-department', 35], ['community', 10]] as WeightedTable<OverdoseSetting>,
  naloxoneIfOpioid: 0.75,
  naloxoneOtherwise: 0.05,
};

/** Contaminated-batch clusters: 3+ overdoses in one local authority within 72 hours. */
export const clusters = {
  meanDaysBetween: 60,
  expectedVictims: [3, 6] as Range,
  spreadHours: 60,
  substances: [[['nitazenes'], 3], [['heroin', 'nitazenes'], 5], [['heroin', 'xylazine'], 1]] as WeightedTable<string[]>,
  naloxoneShare: 0.9,
};

export const death = {
  secondReportShare: 0.07,
  inquestShare: 0.75,
  daysToInquest: [120, 330] as Range,
  drugRelatedShare: 0.88,
};

/** Data quality of what agencies publish. */
export const recording = {
  correctionShare: 0.02,
  daysToCorrection: [1, 20] as Range,
  retractedDuplicateShare: 0.005,
  daysToRetraction: [1, 30] as Range,
  /** Days between the business date and publication, by agency kind. */
  lateness: {
    prison: [[[0, 0], 90], [[1, 5], 8], [[6, 30], 2]],
    probation: [[[0, 0], 75], [[1, 10], 22], [[11, 40], 3]],
    police: [[[0, 0], 92], [[1, 3], 6], [[4, 20], 2]],
    nhs: [[[0, 0], 85], [[1, 3], 12], [[4, 20], 3]],
    treatment: [[[0, 0], 60], [[1, 7], 30], [[8, 45], 10]],
    coroner: [[[0, 0], 80], [[1, 5], 20]],
  } as Record<PublishingKind, WeightedTable<Range>>,
};
