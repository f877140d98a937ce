import { Random } from '../random/random';
import { clusters } from './parameters';

/** A contaminated batch hitting one local authority: its victims overdose within `spreadHours` of `day`. */
export interface ClusterPlan {
  readonly day: number;
  readonly localAuthorityIndex: number;
  readonly substances: readonly string[];
  /** Chance that an opiate user in the community of that local authority is a victim. */
  readonly victimProbability: number;
}

/**
 * Rough share of the simulated people who are opiate users in the community on a given day
 * (prison leavers spend part of the window inside), used to size clusters without looking at
 * other people's stories.
 */
const communityOpiateUserShare = 0.27;
/** In tiny populations a batch still spares some users. */
const maxVictimProbability = 0.5;

/** Plans the area's clusters from the seed alone, so each person can decide independently whether they are hit. */
export function planClusters(seed: string, windowDays: number, localAuthorityCount: number, people: number): Map<number, ClusterPlan[]> {
  const random = Random.of(seed, 'clusters');
  const count = Math.max(1, Math.round(windowDays / clusters.meanDaysBetween));
  const eligiblePerAuthority = Math.max(1, (people * communityOpiateUserShare) / localAuthorityCount);
  const byDay = new Map<number, ClusterPlan[]>();
  for (let i = 0; i < count; i++) {
    const day = random.int(0, Math.max(0, windowDays - 3));
    const expectedVictims = random.int(clusters.expectedVictims[0], clusters.expectedVictims[1]);
    const plan: ClusterPlan = {
      day,
      localAuthorityIndex: random.int(0, localAuthorityCount - 1),
      substances: random.weighted(clusters.substances),
      victimProbability: Math.min(maxVictimProbability, expectedVictims / eligiblePerAuthority),
    };
    byDay.set(day, [...(byDay.get(day) ?? []), plan]);
  }
  return byDay;
}
