import { addDays, type LocalDate } from '@hub/kernel';
import { type FactOf, isKind, londonStartOf, prisonSetting, type RecordVersion, type TimelineView } from '@hub/timeline';
import type { AlertPriority, AlertTrigger, ResolutionReason } from '../alert';
import { deterministicId } from '@hub/timeline';
import { mergeAudiences, probationAudience } from './audience';
import { type PersonRule, triggerRetracted } from './person-rule';

/** SPEC section 5: engaged if a community start falls on release day + 0..21. */
export const engagementWindowDays = 21;
/** The checks: not engaged by day 7 (medium), still not by day 14 (high). */
export const engagementChecks: readonly { readonly day: number; readonly priority: AlertPriority }[] = [
  { day: 7, priority: 'medium' },
  { day: 14, priority: 'high' },
];
const adultAge = 18;
const notInCohortReleaseTypes = new Set(['transfer', 'deportation']);

type Release = RecordVersion<FactOf<'release'>>;

/** SPEC section 5 cohort: treatment need, a referral, adult (unknown age counts as adult), not a transfer or deportation. */
export function isCohortRelease(release: Release): boolean {
  const { fact } = release;
  return fact.treatmentNeed && fact.referral !== null && !notInCohortReleaseTypes.has(fact.releaseType)
    && (fact.ageOnRelease === null || fact.ageOnRelease >= adultAge);
}

/** A community treatment start on release day + 0..21. */
export function engagingStart(view: TimelineView, release: Release): RecordVersion<FactOf<'treatment-started'>> | undefined {
  const { releasedOn } = release.fact;
  const last = addDays(releasedOn, engagementWindowDays);
  return view.ofKind('treatment-started').find((s) => s.fact.setting !== prisonSetting && s.fact.startedOn >= releasedOn && s.fact.startedOn <= last);
}

/** Back in custody (day 1..) or died (day 0..) on or before `by`: no longer at risk of not engaging. */
export function exclusionBy(view: TimelineView, release: Release, by: LocalDate): ResolutionReason | undefined {
  const { releasedOn } = release.fact;
  const died = view.ofKind('death-report').some((d) => d.fact.diedOn >= releasedOn && d.fact.diedOn <= by)
    || view.ofKind('treatment-discharged').some((d) => d.fact.reason === 'died' && d.fact.dischargedOn >= releasedOn && d.fact.dischargedOn <= by);
  if (died) return 'died';
  const received = view.ofKind('reception').some((r) => r.fact.receivedOn > releasedOn && r.fact.receivedOn <= by);
  return received ? 'returned-to-custody' : undefined;
}

function dueInstant(releasedOn: LocalDate, day: number): string {
  return londonStartOf(addDays(releasedOn, day));
}

/** The window closes when day 22 begins: a warning after that is too late to change engagement. */
function windowClosesAt(releasedOn: LocalDate): string {
  return londonStartOf(addDays(releasedOn, engagementWindowDays + 1));
}

export function engagementAlertId(release: Release, day: number): string {
  return deterministicId('ENGAGEMENT_AT_RISK', release.key, `day-${day}`);
}

/** ENGAGEMENT_AT_RISK: a cohort release not engaged when day 7 begins, again when day 14 begins (Europe/London). */
export const engagementAtRiskRule: PersonRule = {
  code: 'ENGAGEMENT_AT_RISK',

  fire(view, at) {
    return view.ofKind('release').filter(isCohortRelease).flatMap((release) => {
      const { releasedOn } = release.fact;
      if (at >= windowClosesAt(releasedOn) || engagingStart(view, release)) return [];
      return engagementChecks
        .filter(({ day }) => at >= dueInstant(releasedOn, day) && !exclusionBy(view, release, addDays(releasedOn, day)))
        .map(({ day, priority }) => triggerFor(view, release, day, priority));
    });
  },

  resolution(trigger, view) {
    if (triggerRetracted(trigger, view)) return 'record-retracted';
    const release = view.get(trigger.triggers[0]!.recordKey) as Release;
    if (engagingStart(view, release)) return 'treatment-started';
    if (!isCohortRelease(release)) return 'condition-ended';
    return exclusionBy(view, release, addDays(release.fact.releasedOn, engagementWindowDays));
  },

  dueInstants(versions) {
    return versions.filter(isKind('release')).filter(isCohortRelease)
      .flatMap((release) => engagementChecks.map(({ day }) => dueInstant(release.fact.releasedOn, day)));
  },
};

function triggerFor(view: TimelineView, release: Release, day: number, priority: AlertPriority): AlertTrigger {
  const { fact } = release;
  const onDay = addDays(fact.releasedOn, day);
  return {
    alertId: engagementAlertId(release, day),
    code: 'ENGAGEMENT_AT_RISK', priority, purpose: 'continuity-of-care', personLevel: true,
    triggers: [{ recordKey: release.key, provider: release.provider, type: release.type }],
    localAuthority: fact.destinationLocalAuthority, occurredOn: onDay,
    details: {
      releasedOn: fact.releasedOn, prisonId: fact.prisonId, releaseType: fact.releaseType,
      destinationLocalAuthority: fact.destinationLocalAuthority, substanceGroup: fact.substanceGroup,
      referralProviderId: fact.referral?.providerId ?? null, referredOn: fact.referral?.referredOn ?? null,
      naloxoneIssued: fact.naloxoneIssued, engagementStatus: 'pending', daysLeft: engagementWindowDays - day,
    },
    audience: mergeAudiences(
      { treatment: [], treatmentProviderIds: fact.referral ? [fact.referral.providerId] : [], areaTreatmentFallback: false, probation: [], areaProbationFallback: false, drugInformationPanel: false },
      probationAudience(view, onDay, release),
    ),
  };
}
