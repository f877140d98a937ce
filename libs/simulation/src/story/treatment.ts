import type { Agency } from '@hub/kernel';
import type { ReferralSource } from './facts';
import { treatment, type DischargeReason, type Range, type SubstanceGroup, type TreatmentSetting } from './parameters';
import type { PersonProfile } from './person-profile';
import type { PersonStory } from './person-story';
import type { AgendaItem } from './story-state';
import { chooseProvider } from './providers';

/** Plans a start; any earlier plan still awaited is dropped. */
export function planTreatmentStart(
  story: PersonStory, day: number, provider: Agency, setting: TreatmentSetting, referralSource: ReferralSource,
): void {
  const token = story.newId();
  story.state.plannedStartToken = token;
  story.schedule({ kind: 'treatment-start', day, token, provider, setting, referralSource });
}

export function startPlannedTreatment(story: PersonStory, today: number, item: Extract<AgendaItem, { kind: 'treatment-start' }>): void {
  const { state } = story;
  if (state.plannedStartToken !== item.token) return;
  state.plannedStartToken = undefined;
  if (state.status !== 'community' || state.treatment) return;
  const id = story.newId();
  state.treatment = { id, provider: item.provider };
  story.record({
    type: 'treatment-start', day: today, provider: item.provider, localAuthority: story.localAuthority,
    setting: item.setting, substanceGroup: treatmentSubstanceGroup(story.profile),
  });
  const outcome = story.random.weighted(treatment.dischargeWeights);
  if (outcome) story.schedule({ kind: 'treatment-end', day: today + story.between(outcome.days), episodeId: id, reason: outcome.reason });
}

export function endTreatment(story: PersonStory, day: number, reason: DischargeReason): void {
  const episode = story.state.treatment;
  if (!episode) return;
  story.record({ type: 'treatment-discharge', day, provider: episode.provider, reason });
  story.state.treatment = undefined;
}

/**
 * A referral from police, health or the person themselves, and sometimes a start some days
 * later. Nothing happens when the person is already in treatment or has a start planned.
 */
export function referToTreatment(
  story: PersonStory, today: number, referralSource: ReferralSource, startShare: number, daysToStart: Range,
): void {
  const { state, random } = story;
  if (state.treatment || state.plannedStartToken !== undefined) return;
  const provider = chooseProvider(story);
  if (!provider) return;
  story.record({ type: 'referral', day: today, provider, referralSource });
  if (random.chance(startShare)) {
    planTreatmentStart(story, today + story.between(daysToStart), provider, random.weighted(treatment.settingWeights), referralSource);
  }
}

/** How a provider classifies the person: their problem group, else what they are known to use. */
export function treatmentSubstanceGroup(profile: PersonProfile): SubstanceGroup | null {
  if (profile.substanceGroup) return profile.substanceGroup;
  if (profile.usesOpiates) return 'opiate';
  return profile.usesCocaine ? 'non-opiate-only' : null;
}
