import { addDays, type LocalDate } from '@hub/kernel';
import { communityStartSince, type FactOf, openCommunityEpisodes, type RecordVersion, type TimelineView } from '@hub/timeline';
import type { AlertAudience, AlertCode, AlertPriority, AlertTrigger, TriggerRecord } from '../alert';
import { deterministicId } from '@hub/timeline';
import { mergeAudiences, probationAudience, treatmentAudience } from './audience';
import { type PersonRule, triggerRetracted } from './person-rule';

export const postReleaseWindowDays = 28;
export const repeatOverdoseWindowDays = 30;
const dayMs = 86_400_000;
/** Releases that do not put the person back in the community. */
const notToCommunity = new Set(['transfer', 'deportation']);

type Overdose = RecordVersion<FactOf<'overdose'>>;
type Release = RecordVersion<FactOf<'release'>>;

export function overdoseAlertId(code: AlertCode, overdose: Overdose): string {
  return deterministicId(code, overdose.key);
}

/** The latest release to the community on release day..+28 before the overdose. */
export function releaseBefore(view: TimelineView, overdose: Overdose): Release | undefined {
  return view.ofKind('release')
    .filter((r) => !notToCommunity.has(r.fact.releaseType) && r.fact.releasedOn <= overdose.fact.on && overdose.fact.on <= addDays(r.fact.releasedOn, postReleaseWindowDays))
    .sort((a, b) => (a.fact.releasedOn < b.fact.releasedOn ? -1 : a.fact.releasedOn > b.fact.releasedOn ? 1 : a.position - b.position))
    .pop();
}

/** Other overdoses in the 30 days up to this one (an equal instant counts once, by record key). */
export function earlierOverdoses(view: TimelineView, overdose: Overdose): Overdose[] {
  const at = Date.parse(overdose.fact.occurredAt);
  return view.ofKind('overdose').filter((other) => {
    if (other.key === overdose.key) return false;
    const otherAt = Date.parse(other.fact.occurredAt);
    return (otherAt < at || (otherAt === at && other.key < overdose.key)) && at - otherAt <= repeatOverdoseWindowDays * dayMs;
  });
}

export function inTreatmentOn(view: TimelineView, date: LocalDate): boolean {
  return openCommunityEpisodes(view, date).length > 0;
}

function overdoseTrigger(code: AlertCode, priority: AlertPriority, overdose: Overdose, extra: {
  readonly triggers?: readonly TriggerRecord[]; readonly details?: Record<string, unknown>; readonly audience: AlertAudience;
}): AlertTrigger {
  const { fact } = overdose;
  return {
    alertId: overdoseAlertId(code, overdose), code, priority, purpose: 'near-miss-alerting', personLevel: true,
    triggers: [{ recordKey: overdose.key, provider: overdose.provider, type: overdose.type }, ...(extra.triggers ?? [])],
    localAuthority: fact.localAuthority, occurredOn: fact.on,
    details: {
      overdoseAt: fact.occurredAt, localAuthority: fact.localAuthority, overdoseSetting: fact.setting,
      suspectedSubstances: fact.suspectedSubstances, naloxoneAdministered: fact.naloxoneAdministered, ...extra.details,
    },
    audience: extra.audience,
  };
}

function overdoseOf(trigger: AlertTrigger, view: TimelineView): Overdose {
  return view.get(trigger.triggers[0]!.recordKey) as Overdose;
}

/** POST_RELEASE_OVERDOSE: a non-fatal overdose on release day + 0..28. Resolves when community treatment starts after it. */
export const postReleaseOverdoseRule: PersonRule = {
  code: 'POST_RELEASE_OVERDOSE',
  fire(view) {
    return view.ofKind('overdose').flatMap((overdose) => {
      const release = releaseBefore(view, overdose);
      if (!release) return [];
      const r = release.fact;
      return [overdoseTrigger('POST_RELEASE_OVERDOSE', 'high', overdose, {
        triggers: [{ recordKey: release.key, provider: release.provider, type: release.type }],
        details: { releasedOn: r.releasedOn, prisonId: r.prisonId, releaseType: r.releaseType, naloxoneIssued: r.naloxoneIssued, referralProviderId: r.referral?.providerId ?? null },
        audience: mergeAudiences(treatmentAudience(view, overdose.fact.on, r.referral?.providerId), probationAudience(view, overdose.fact.on, release)),
      })];
    });
  },
  resolution(trigger, view) {
    if (view.get(trigger.triggers[0]!.recordKey) === undefined) return 'record-retracted';
    const overdose = overdoseOf(trigger, view);
    if (communityStartSince(view, overdose.fact.on)) return 'treatment-started';
    if (!releaseBefore(view, overdose)) return triggerRetracted(trigger, view) ? 'record-retracted' : 'condition-ended';
    return undefined;
  },
};

/** OVERDOSE_NOT_IN_TREATMENT: no open community treatment episode on the day. Resolves when the person is (found to be) in treatment. */
export const overdoseNotInTreatmentRule: PersonRule = {
  code: 'OVERDOSE_NOT_IN_TREATMENT',
  fire(view) {
    return view.ofKind('overdose')
      .filter((overdose) => !inTreatmentOn(view, overdose.fact.on))
      .map((overdose) => overdoseTrigger('OVERDOSE_NOT_IN_TREATMENT', 'medium', overdose, { audience: treatmentAudience(view, overdose.fact.on) }));
  },
  resolution(trigger, view) {
    if (triggerRetracted(trigger, view)) return 'record-retracted';
    const { on } = overdoseOf(trigger, view).fact;
    return inTreatmentOn(view, on) || communityStartSince(view, on) ? 'treatment-started' : undefined;
  },
};

/** REPEAT_OVERDOSE: a second (or later) non-fatal overdose within 30 days. Resolves when community treatment starts after it. */
export const repeatOverdoseRule: PersonRule = {
  code: 'REPEAT_OVERDOSE',
  fire(view) {
    return view.ofKind('overdose').flatMap((overdose) => {
      const earlier = earlierOverdoses(view, overdose);
      if (earlier.length === 0) return [];
      const on = overdose.fact.on;
      return [overdoseTrigger('REPEAT_OVERDOSE', 'high', overdose, {
        triggers: earlier.map((e) => ({ recordKey: e.key, provider: e.provider, type: e.type })),
        audience: mergeAudiences(treatmentAudience(view, on), probationAudience(view, on)),
      })];
    });
  },
  resolution(trigger, view) {
    if (view.get(trigger.triggers[0]!.recordKey) === undefined) return 'record-retracted';
    const overdose = overdoseOf(trigger, view);
    if (communityStartSince(view, overdose.fact.on)) return 'treatment-started';
    return earlierOverdoses(view, overdose).length === 0 ? 'record-retracted' : undefined;
  },
};
