import { addDays, type LocalDate } from '@hub/kernel';
import {
  factDate, isOpenOn, type RecordVersion, supervisingAgenciesOn, treatmentEpisodes, type TimelineView,
} from '@hub/timeline';

export interface ReviewFlags {
  readonly knownToTreatment: boolean;
  readonly inTreatmentAtDeath: boolean;
  readonly releasedWithin28Days: boolean;
  readonly releasedWithin12Weeks: boolean;
  readonly nearMissesLast12Months: number;
  readonly positiveDtoaLast12Months: number;
  readonly underProbationSupervision: boolean;
}

export type ReviewFlagName = keyof ReviewFlags;
export type ReviewPriority = 'P1' | 'P2' | 'P3';

/** For each flag, the (provider, type) of every record it was worked out from: a reader sees a flag only with a grant for each. */
export type FlagSources = Readonly<Record<ReviewFlagName, readonly (readonly [string, string])[]>>;

const treatmentKinds = new Set(['referral', 'treatment-started', 'treatment-discharged']);
/** Records about the death itself, not contact with the person. */
const deathKinds = new Set(['death-report', 'inquest']);
const nearMissPriorityDays = 90;

/** The first day of "the 12 months before death": the day after the same date a year earlier (29 February -> 1 March). */
export function twelveMonthsBefore(diedOn: LocalDate): LocalDate {
  const [year, month, day] = diedOn.split('-').map(Number) as [number, number, number];
  const sameDate = month === 2 && day === 29 ? `${year - 1}-02-28` : `${year - 1}-${diedOn.slice(5)}`;
  return addDays(sameDate, 1);
}

function within(date: LocalDate, from: LocalDate, to: LocalDate): boolean {
  return from <= date && date <= to;
}

/** SPEC section 7 flags from the person's linked timeline, for a death on `diedOn`. */
export function reviewFlags(view: TimelineView, diedOn: LocalDate): { flags: ReviewFlags; sources: FlagSources } {
  const yearFrom = twelveMonthsBefore(diedOn);
  const treatment = view.records.filter((r) => treatmentKinds.has(r.fact.kind));
  const openAtDeath = treatmentEpisodes(view).filter((e) => isOpenOn(e, diedOn)).map((e) => e.start);
  const released = (days: number) => view.ofKind('release').filter((r) => within(r.fact.releasedOn, addDays(diedOn, -days), diedOn));
  const nearMisses = view.ofKind('overdose').filter((o) => within(o.fact.on, yearFrom, diedOn));
  const positiveTests = view.ofKind('drug-test').filter((t) => within(t.fact.on, yearFrom, diedOn) && t.fact.results.some((r) => r.result === 'positive'));
  const supervising = supervisingAgenciesOn(view, diedOn);
  const supervision = view.ofKind('supervision-started').filter((s) => supervising.includes(s.provider) && s.fact.startedOn <= diedOn);
  const flags: ReviewFlags = {
    knownToTreatment: treatment.length > 0,
    inTreatmentAtDeath: openAtDeath.length > 0,
    releasedWithin28Days: released(28).length > 0,
    releasedWithin12Weeks: released(84).length > 0,
    nearMissesLast12Months: nearMisses.length,
    positiveDtoaLast12Months: positiveTests.length,
    underProbationSupervision: supervising.length > 0,
  };
  const of = (records: readonly RecordVersion[]) => [...new Map(records.map((r) => [`${r.provider}|${r.type}`, [r.provider, r.type] as const])).values()];
  const sources: FlagSources = {
    knownToTreatment: of(treatment), inTreatmentAtDeath: of(openAtDeath), releasedWithin28Days: of(released(28)),
    releasedWithin12Weeks: of(released(84)), nearMissesLast12Months: of(nearMisses), positiveDtoaLast12Months: of(positiveTests),
    underProbationSupervision: of(supervision),
  };
  return { flags, sources };
}

/**
 * SPEC section 7: P1 if released within 28 days, in treatment at death, or a near miss in the last
 * 90 days; P2 if known to any agency in the last 12 months; else P3.
 */
export function reviewPriority(view: TimelineView, diedOn: LocalDate, flags: ReviewFlags): ReviewPriority {
  const recentNearMiss = view.ofKind('overdose').some((o) => within(o.fact.on, addDays(diedOn, -nearMissPriorityDays), diedOn));
  if (flags.releasedWithin28Days || flags.inTreatmentAtDeath || recentNearMiss) return 'P1';
  const yearFrom = twelveMonthsBefore(diedOn);
  const contactInYear = view.records.some((r) => !deathKinds.has(r.fact.kind) && within(factDate(r.fact), yearFrom, diedOn));
  return contactInYear || flags.underProbationSupervision ? 'P2' : 'P3';
}
