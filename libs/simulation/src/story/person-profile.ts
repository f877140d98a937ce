import type { Random } from '../random/random';
import { population, substanceUse, type SubstanceGroup } from './parameters';

export type Segment = 'prison-leaver' | 'community-offender' | 'community-treatment';
export type TrueSex = 'M' | 'F' | 'X';

/** Who the person is in the story: drawn once, before any event. */
export interface PersonProfile {
  readonly segment: Segment;
  readonly sex: TrueSex;
  readonly ageAtStart: number;
  readonly localAuthorityIndex: number;
  /** The person's main problem substance group; null when they have no treatment need. */
  readonly substanceGroup: SubstanceGroup | null;
  readonly usesOpiates: boolean;
  readonly usesCocaine: boolean;
  readonly hasPoliceRecord: boolean;
  readonly hasPrisonHistory: boolean;
  /** Prison leavers: the window day of their first release. */
  readonly firstReleaseDay: number | undefined;
  /** A few prison leavers are 17 on their first release day (outside the adult cohort). */
  readonly minorAtFirstRelease: boolean;
}

export function drawProfile(random: Random, localAuthorityCount: number, windowDays: number): PersonProfile {
  const segment = random.weighted(population.segmentWeights);
  const isPrisonLeaver = segment === 'prison-leaver';
  const sex: TrueSex = random.chance(population.nonBinaryShare)
    ? 'X'
    : random.chance(isPrisonLeaver ? population.maleShareInPrison : population.maleShareInCommunity) ? 'M' : 'F';
  const needShare = isPrisonLeaver ? substanceUse.treatmentNeedShareOfPrisonLeavers : substanceUse.problemUseShareInCommunity;
  const substanceGroup = random.chance(needShare) ? random.weighted(substanceUse.groupWeights) : null;
  const opiateGroup = substanceGroup === 'opiate';
  const usesOpiates = opiateGroup || (substanceGroup === null && random.chance(substanceUse.opiateUseWithoutNeed));
  const usesCocaine = random.chance(substanceUse.cocaineUseShare[substanceGroup ?? 'none']);
  const hasPoliceRecord = segment !== 'community-treatment' || random.chance(population.policeRecordShareOfTreatmentOnly);
  return {
    segment,
    sex,
    ageAtStart: drawAge(random),
    localAuthorityIndex: random.int(0, localAuthorityCount - 1),
    substanceGroup,
    usesOpiates,
    usesCocaine,
    hasPoliceRecord,
    hasPrisonHistory: isPrisonLeaver || random.chance(population.prisonHistoryShareInCommunity),
    firstReleaseDay: isPrisonLeaver ? random.int(0, windowDays - 1) : undefined,
    minorAtFirstRelease: isPrisonLeaver && random.chance(population.minorShareOfPrisonLeavers),
  };
}

/** Adults 18-64, peaking in the late thirties (the ageing opiate cohort). */
function drawAge(random: Random): number {
  const spread = (random.next() + random.next() + random.next()) / 3;
  return 18 + Math.floor(spread * 47);
}
