import { addDays, type LocalDate } from '@hub/kernel';

/** Days after `releasedOn` within which a community treatment start counts (SPEC section 5: day 0..21 inclusive). */
export const engagementWindowDays = 21;

/** What the rules read of a release (its current version): dates and codes, and the age on release, never a date of birth. */
export interface ReleaseFacts {
  readonly releasedOn: LocalDate;
  readonly releaseType: string;
  readonly treatmentNeed: boolean;
  readonly referral: { readonly providerId: string } | null;
  /** Completed years on `releasedOn`; null when no date of birth is known (counts as an adult). */
  readonly ageOnRelease: number | null;
}

/** What the rules read of the person's other records (current versions, after linkage). */
export interface PersonFacts {
  readonly treatmentStarts: readonly { readonly startedOn: LocalDate; readonly setting: string }[];
  readonly receptions: readonly { readonly receivedOn: LocalDate }[];
  /** Suspected drug-death reports (`diedOn`) and discharges with reason `died` (`dischargedOn`). */
  readonly deaths: readonly { readonly diedOn: LocalDate }[];
}

export type CohortExclusion = 'no-treatment-need' | 'no-referral' | 'under-18' | 'transfer' | 'deportation';
export type ExclusionReason = 'died' | 're-custody';

/**
 * A release judged on what is known, independent of today's date: `open` becomes `pending` or
 * `not-engaged` only once "today" is given (`statusOn`).
 */
export type ReleaseJudgement =
  | { readonly inCohort: false; readonly cohortExclusion: CohortExclusion }
  | { readonly inCohort: true; readonly outcome: 'engaged'; readonly on: LocalDate }
  | { readonly inCohort: true; readonly outcome: 'excluded'; readonly reason: ExclusionReason; readonly on: LocalDate }
  | { readonly inCohort: true; readonly outcome: 'open' };

export type ContinuityStatus = 'engaged' | 'not-engaged' | 'pending' | 'excluded';

export const adultAge = 18;

/** The cohort rule of SPEC section 5; undefined when the release is in the cohort. */
export function cohortExclusionOf(release: ReleaseFacts): CohortExclusion | undefined {
  if (!release.treatmentNeed) return 'no-treatment-need';
  if (release.referral === null) return 'no-referral';
  if (release.releaseType === 'transfer' || release.releaseType === 'deportation') return release.releaseType;
  if (release.ageOnRelease !== null && release.ageOnRelease < adultAge) return 'under-18';
  return undefined;
}

/** The last day of the engagement window: `releasedOn` + 21. */
export function windowEndsOn(releasedOn: LocalDate): LocalDate {
  return addDays(releasedOn, engagementWindowDays);
}

/**
 * SPEC section 5 for one release (each release on its own, so one start can engage two releases):
 * engaged by a start in a setting other than prison on day 0..21; excluded by the first death on
 * day 0..21 or reception on day 1..21, unless a qualifying start is on or before that day.
 */
export function judgeRelease(release: ReleaseFacts, person: PersonFacts): ReleaseJudgement {
  const cohortExclusion = cohortExclusionOf(release);
  if (cohortExclusion) return { inCohort: false, cohortExclusion };
  const lastDay = windowEndsOn(release.releasedOn);
  const inWindow = (date: LocalDate, firstDay: LocalDate) => firstDay <= date && date <= lastDay;
  const firstStart = earliest(person.treatmentStarts
    .filter((start) => start.setting !== 'prison' && inWindow(start.startedOn, release.releasedOn))
    .map((start) => start.startedOn));
  const firstDeath = earliest(person.deaths.map((d) => d.diedOn).filter((on) => inWindow(on, release.releasedOn)));
  const firstReception = earliest(person.receptions.map((r) => r.receivedOn).filter((on) => inWindow(on, addDays(release.releasedOn, 1))));
  // The first exclusion event; a death on the same day as a reception is the reason given.
  const exclusion: { reason: ExclusionReason; on: LocalDate } | undefined =
    firstDeath !== undefined && (firstReception === undefined || firstDeath <= firstReception) ? { reason: 'died', on: firstDeath }
      : firstReception !== undefined ? { reason: 're-custody', on: firstReception } : undefined;
  if (firstStart !== undefined && (exclusion === undefined || firstStart <= exclusion.on)) {
    return { inCohort: true, outcome: 'engaged', on: firstStart };
  }
  if (exclusion) return { inCohort: true, outcome: 'excluded', ...exclusion };
  return { inCohort: true, outcome: 'open' };
}

/** The status on `today` (a Europe/London calendar date): an open window is pending until releasedOn + 21 has passed. */
export function statusOn(judgement: ReleaseJudgement & { inCohort: true }, releasedOn: LocalDate, today: LocalDate): ContinuityStatus {
  switch (judgement.outcome) {
    case 'engaged': return 'engaged';
    case 'excluded': return 'excluded';
    case 'open': return today > windowEndsOn(releasedOn) ? 'not-engaged' : 'pending';
  }
}

function earliest(dates: readonly LocalDate[]): LocalDate | undefined {
  return dates.length === 0 ? undefined : dates.reduce((a, b) => (b < a ? b : a));
}
