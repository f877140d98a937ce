import { engagementDelay, custody, release, treatment, type ReceptionReason, type ReleaseType } from './parameters';
import type { PersonStory } from './person-story';
import { chooseProvider } from './providers';
import type { CustodyEpisode } from './story-state';
import { endSupervision, startSupervision } from './supervision';
import { endTreatment, planTreatmentStart, treatmentSubstanceGroup } from './treatment';

const supervisionEndOnCustody: Record<ReceptionReason, string> = {
  recall: 'recalled to custody',
  sentenced: 'custodial sentence',
  remand: 'remanded in custody',
};

/** Reception into custody; `today` is -1 for people already inside when the window opens. */
export function enterCustody(
  story: PersonStory, today: number, reason: ReceptionReason, releaseDay?: number, releaseType?: ReleaseType,
): void {
  const { state, random, context } = story;
  if (context.area.prisons.length === 0) return;
  const prison = random.pick(context.area.prisons);
  if (today >= 0) story.record({ type: 'reception', day: today, prison, reason });
  if (state.treatment) endTreatment(story, today, 'custody');
  state.plannedStartToken = undefined;
  if (state.supervision) endSupervision(story, today, supervisionEndOnCustody[reason]);
  const episode: CustodyEpisode = {
    id: story.newId(),
    prison,
    releaseDay: releaseDay ?? today + story.between(custody.daysInCustody[reason]),
    releaseType: releaseType ?? random.weighted(custody.releaseTypeAfter[reason]),
    plan: undefined,
  };
  state.status = 'custody';
  state.custody = episode;
  const planningDay = Math.max(today, episode.releaseDay - story.between(release.planningDaysBeforeRelease));
  story.schedule({ kind: 'plan-release', day: planningDay, custodyId: episode.id });
  story.schedule({ kind: 'release', day: episode.releaseDay, custodyId: episode.id });
}

/** Pre-release planning: the need assessment, a referral to a community provider, in-prison treatment. */
export function planRelease(story: PersonStory, today: number, episode: CustodyEpisode): void {
  const { profile, random } = story;
  const substanceGroup = profile.substanceGroup;
  const treatmentNeed = substanceGroup !== null;
  const leavesArea = episode.releaseType === 'transfer' || episode.releaseType === 'deportation';
  const referralShare = !treatmentNeed ? 0 : leavesArea ? release.referralShareOnTransfer : release.referralShareGivenNeed;
  const provider = chooseProvider(story);
  const referral = provider && random.chance(referralShare) ? { provider, day: today } : null;
  if (referral && random.chance(release.referralReceivedShare)) {
    story.record({ type: 'referral', day: today + random.int(0, 2), provider: referral.provider, referralSource: 'prison' });
  }
  if (treatmentNeed && provider && episode.releaseDay > today && random.chance(release.prisonSettingStartShare)) {
    const startDay = random.int(Math.max(0, today), episode.releaseDay - 1);
    const group = treatmentSubstanceGroup(profile);
    story.record({ type: 'treatment-start', day: startDay, provider, localAuthority: story.localAuthority, setting: 'prison', substanceGroup: group });
    story.record({ type: 'treatment-discharge', day: episode.releaseDay, provider, reason: 'transferred' });
  }
  const naloxoneShare = !treatmentNeed
    ? release.naloxoneIssued.noNeed
    : substanceGroup === 'opiate' ? release.naloxoneIssued.opiate : release.naloxoneIssued.otherNeed;
  episode.plan = { treatmentNeed, substanceGroup, referral, naloxoneIssued: random.chance(naloxoneShare) };
}

export function releaseFromCustody(story: PersonStory, today: number, episode: CustodyEpisode): void {
  const { state, random } = story;
  if (!episode.plan) planRelease(story, today, episode);
  const plan = episode.plan!;
  story.record({
    type: 'release', day: today, prison: episode.prison, releaseType: episode.releaseType,
    localAuthority: story.localAuthority, ...plan,
  });
  state.custody = undefined;
  state.lastReleaseDay = today;
  if (episode.releaseType === 'transfer' || episode.releaseType === 'deportation') {
    state.status = 'away';
    return;
  }
  state.status = 'community';
  if (episode.releaseType === 'licence') startSupervision(story, today, 'licence', false);
  const delay = plan.referral ? random.weighted(engagementDelay) : null;
  if (plan.referral && delay) {
    // Now and then the person turns up at another provider than the one referred to.
    const others = story.context.area.providers.filter((provider) => provider !== plan.referral!.provider);
    const provider = others.length > 0 && random.chance(release.otherProviderShare) ? random.pick(others) : plan.referral.provider;
    planTreatmentStart(story, today + story.between(delay), provider, random.weighted(treatment.settingWeights), 'prison');
  }
}
