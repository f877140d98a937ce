import type { LocalDate } from '@hub/kernel';
import type { FactOf, RecordVersion } from './timeline-record';
import type { TimelineView } from './timeline-view';

/** A treatment episode: a start and, when known, the discharge that ended it. */
export interface TreatmentEpisode {
  readonly start: RecordVersion<FactOf<'treatment-started'>>;
  readonly discharge: RecordVersion<FactOf<'treatment-discharged'>> | undefined;
}

/** The setting that is not community treatment (SPEC section 5 counts every other setting). */
export const prisonSetting = 'prison';

/**
 * Pairs each discharge with the latest still-open start of the same provider on or before it.
 * A discharge with no such start ends nothing.
 */
export function treatmentEpisodes(view: TimelineView): TreatmentEpisode[] {
  const starts = [...view.ofKind('treatment-started')].sort((a, b) => compare(a.fact.startedOn, b.fact.startedOn) || a.position - b.position);
  const discharges = [...view.ofKind('treatment-discharged')].sort((a, b) => compare(a.fact.dischargedOn, b.fact.dischargedOn) || a.position - b.position);
  const ended = new Map<RecordVersion, RecordVersion<FactOf<'treatment-discharged'>>>();
  for (const discharge of discharges) {
    const open = starts.filter((s) => !ended.has(s) && s.fact.providerId === discharge.fact.providerId && s.fact.startedOn <= discharge.fact.dischargedOn);
    const latest = open[open.length - 1];
    if (latest) ended.set(latest, discharge);
  }
  return starts.map((start) => ({ start, discharge: ended.get(start) }));
}

/** Open on `date`: started on or before it and not discharged before it (a discharge that day still counts). */
export function isOpenOn(episode: TreatmentEpisode, date: LocalDate): boolean {
  return episode.start.fact.startedOn <= date && (episode.discharge === undefined || episode.discharge.fact.dischargedOn >= date);
}

export function isCommunity(episode: TreatmentEpisode): boolean {
  return episode.start.fact.setting !== prisonSetting;
}

/** The open community (non-prison) treatment episodes on a date. */
export function openCommunityEpisodes(view: TimelineView, date: LocalDate): TreatmentEpisode[] {
  return treatmentEpisodes(view).filter((episode) => isCommunity(episode) && isOpenOn(episode, date));
}

/** A community treatment start on or after a date: the person is (again) in treatment. */
export function communityStartSince(view: TimelineView, date: LocalDate): RecordVersion<FactOf<'treatment-started'>> | undefined {
  return view.ofKind('treatment-started').find((s) => s.fact.setting !== prisonSetting && s.fact.startedOn >= date);
}

/** Probation supervision: a start and the end that closed it (the latest open start of the same agency on or before the end). */
export interface SupervisionPeriod {
  readonly start: RecordVersion<FactOf<'supervision-started'>>;
  readonly end: RecordVersion<FactOf<'supervision-ended'>> | undefined;
}

export function supervisionPeriods(view: TimelineView): SupervisionPeriod[] {
  const starts = [...view.ofKind('supervision-started')].sort((a, b) => compare(a.fact.startedOn, b.fact.startedOn) || a.position - b.position);
  const ends = [...view.ofKind('supervision-ended')].sort((a, b) => compare(a.fact.endedOn, b.fact.endedOn) || a.position - b.position);
  const closed = new Map<RecordVersion, RecordVersion<FactOf<'supervision-ended'>>>();
  for (const end of ends) {
    const open = starts.filter((s) => !closed.has(s) && s.provider === end.provider && s.fact.startedOn <= end.fact.endedOn);
    const latest = open[open.length - 1];
    if (latest) closed.set(latest, end);
  }
  return starts.map((start) => ({ start, end: closed.get(start) }));
}

/** Under supervision on a date: started on or before it, not ended before it. */
export function supervisingAgenciesOn(view: TimelineView, date: LocalDate): string[] {
  return [...new Set(supervisionPeriods(view)
    .filter((p) => p.start.fact.startedOn <= date && (p.end === undefined || p.end.fact.endedOn >= date))
    .map((p) => p.start.provider))];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
