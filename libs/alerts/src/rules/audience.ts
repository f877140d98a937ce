import type { LocalDate } from '@hub/kernel';
import { factDate, type FactOf, openCommunityEpisodes, type RecordVersion, supervisingAgenciesOn, type TimelineView } from '@hub/timeline';
import type { AlertAudience } from '../alert';
import { noAudience } from '../alert';

const treatmentKinds = new Set(['referral', 'treatment-started', 'treatment-discharged']);

/**
 * The treatment agencies responsible on a date: those with an open community episode; else the
 * provider a release referred the person to; else the last provider that saw them; else (routing
 * decides) the area's treatment providers.
 */
export function treatmentAudience(view: TimelineView, date: LocalDate, referralProviderId?: string): AlertAudience {
  const open = [...new Set(openCommunityEpisodes(view, date).map((episode) => episode.start.provider))];
  if (open.length > 0) return { ...noAudience, treatment: open };
  if (referralProviderId) return { ...noAudience, treatmentProviderIds: [referralProviderId] };
  const latest = view.records.filter((r) => treatmentKinds.has(r.fact.kind) && factDate(r.fact) <= date)
    .sort((a, b) => (factDate(a.fact) < factDate(b.fact) ? -1 : factDate(a.fact) > factDate(b.fact) ? 1 : a.position - b.position))
    .pop();
  return latest ? { ...noAudience, treatment: [latest.provider] } : { ...noAudience, areaTreatmentFallback: true };
}

/** Probation agencies supervising the person on a date; for a release on licence with none recorded, the area's probation service. */
export function probationAudience(view: TimelineView, date: LocalDate, release?: RecordVersion<FactOf<'release'>>): AlertAudience {
  const supervising = supervisingAgenciesOn(view, date);
  if (supervising.length > 0) return { ...noAudience, probation: supervising };
  return release?.fact.releaseType === 'licence' ? { ...noAudience, areaProbationFallback: true } : noAudience;
}

export function mergeAudiences(...audiences: readonly AlertAudience[]): AlertAudience {
  const unique = (values: readonly string[]) => [...new Set(values)];
  return {
    treatment: unique(audiences.flatMap((a) => a.treatment)),
    treatmentProviderIds: unique(audiences.flatMap((a) => a.treatmentProviderIds)),
    areaTreatmentFallback: audiences.some((a) => a.areaTreatmentFallback),
    probation: unique(audiences.flatMap((a) => a.probation)),
    areaProbationFallback: audiences.some((a) => a.areaProbationFallback),
    drugInformationPanel: audiences.some((a) => a.drugInformationPanel),
  };
}
