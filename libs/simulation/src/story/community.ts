import { msPerDay } from '../simulation-context';
import { die } from './death';
import { enterCustody } from './custody';
import type { DrugTestResult } from './facts';
import { clusters, custody, drugTest, hazards, overdose, treatment } from './parameters';
import type { PersonStory } from './person-story';
import { isOpioid, suspectedSubstances } from './substances';
import { referToTreatment } from './treatment';

const daysPerYear = 365;
const postReleaseRiskDays = 14;
const repeatOverdoseWindowDays = 30;

/**
 * Life in the community from `today` until `boundary` (the next planned item): the day's
 * cluster, then the quiet days skipped in one draw (geometric, as if one Bernoulli trial a day)
 * up to the next event: an overdose, a death, an arrest with a drug test, custody or a
 * self-referral. Returns the next day to simulate.
 */
export function liveInCommunity(story: PersonStory, today: number, boundary: number): number {
  joinClusters(story, today);
  if (story.state.status !== 'community') return today + 1;
  const rates = hazardRates(story, today);
  const until = Math.min(boundary, nextRateChange(story, today));
  const eventDay = today + quietDays(story, rates.total / daysPerYear);
  if (eventDay >= until) return until;
  story.moveTo(eventDay);
  let draw = story.random.next() * rates.total;
  if ((draw -= rates.overdose) < 0) recordOverdose(story, eventDay, undefined);
  else if ((draw -= rates.death) < 0) die(story, eventDay);
  else if ((draw -= rates.drugTest) < 0) testOnArrest(story, eventDay);
  else if ((draw -= rates.custody) < 0) {
    const onLicence = story.state.supervision?.requirement === 'licence';
    enterCustody(story, eventDay, story.random.weighted(onLicence ? custody.reasonOnLicence : custody.reasonOtherwise));
  } else {
    referToTreatment(story, eventDay, story.random.chance(0.8) ? 'self' : 'other', 1, treatment.daysFromSelfReferralToStart);
  }
  return eventDay + 1;
}

/** Annual rates, constant until `nextRateChange`. */
function hazardRates(story: PersonStory, today: number) {
  const { profile, state, context } = story;
  const group = profile.substanceGroup ?? 'none';
  const inTreatment = state.treatment !== undefined;
  const justReleased = state.lastReleaseDay !== undefined && today - state.lastReleaseDay < postReleaseRiskDays;
  const recentOverdose = state.lastOverdoseDay !== undefined && today - state.lastOverdoseDay <= repeatOverdoseWindowDays;
  const overdoseRate = hazards.overdose[group]
    * (inTreatment ? hazards.overdoseInTreatment : 1)
    * (justReleased ? hazards.overdoseFirstTwoWeeksAfterRelease : 1)
    * (recentOverdose ? hazards.overdoseWithin30DaysOfOverdose : 1);
  const deathRate = hazards.death[group]
    * (inTreatment ? hazards.deathInTreatment : hazards.deathNotInTreatment)
    * (justReleased ? hazards.deathFirstTwoWeeksAfterRelease : 1)
    * (recentOverdose ? hazards.deathWithin30DaysOfOverdose : 1);
  const drugTestRate = profile.hasPoliceRecord && context.area.police ? hazards.drugTestOnArrest[profile.segment] : 0;
  const onLicence = state.supervision?.requirement === 'licence';
  const custodyRate = context.area.prisons.length === 0 ? 0 : hazards.custody[profile.segment] + (onLicence ? hazards.recallWhileOnLicence : 0);
  const selfReferralRate = inTreatment || state.plannedStartToken !== undefined || context.area.providers.length === 0
    ? 0 : hazards.selfReferral[group];
  return {
    overdose: overdoseRate, death: deathRate, drugTest: drugTestRate, custody: custodyRate,
    total: overdoseRate + deathRate + drugTestRate + custodyRate + selfReferralRate,
  };
}

/** The first later day on which the rates may change by the calendar alone (not by an event). */
function nextRateChange(story: PersonStory, today: number): number {
  const { state, profile, context } = story;
  let day = context.windowDays;
  if (state.lastReleaseDay !== undefined && today - state.lastReleaseDay < postReleaseRiskDays) {
    day = Math.min(day, state.lastReleaseDay + postReleaseRiskDays);
  }
  if (state.lastOverdoseDay !== undefined && today - state.lastOverdoseDay <= repeatOverdoseWindowDays) {
    day = Math.min(day, state.lastOverdoseDay + repeatOverdoseWindowDays + 1);
  }
  if (profile.usesOpiates) {
    for (const clusterDay of context.clusterDays) {
      if (clusterDay > today) {
        day = Math.min(day, clusterDay);
        break;
      }
    }
  }
  return day;
}

/** Days without an event before the next one, for a daily event probability. */
function quietDays(story: PersonStory, dailyProbability: number): number {
  if (dailyProbability <= 0) return Number.POSITIVE_INFINITY;
  if (dailyProbability >= 1) return 0;
  return Math.floor(Math.log(1 - story.random.next()) / Math.log(1 - dailyProbability));
}

function recordOverdose(story: PersonStory, today: number, cluster: { substances: readonly string[]; atMs: number } | undefined): void {
  const { random, profile, state, context } = story;
  const substances = cluster?.substances ?? random.weighted(suspectedSubstances[profile.substanceGroup ?? 'none']);
  const naloxoneShare = cluster ? clusters.naloxoneShare : isOpioid(substances) ? overdose.naloxoneIfOpioid : overdose.naloxoneOtherwise;
  story.record({
    type: 'overdose',
    atMs: cluster?.atMs ?? context.fromMs + today * msPerDay + random.int(0, 86_399) * 1000,
    localAuthority: story.localAuthority,
    setting: random.weighted(overdose.settingWeights),
    suspectedSubstances: substances,
    naloxoneAdministered: random.chance(naloxoneShare),
  });
  state.lastOverdoseDay = today;
  if (random.chance(treatment.referralAfterOverdoseShare)) {
    referToTreatment(story, today, 'health', treatment.startAfterHealthReferralShare, treatment.daysFromHealthReferralToStart);
  }
}

function testOnArrest(story: PersonStory, today: number): void {
  const { random, profile } = story;
  const refused = random.chance(drugTest.refusedShare);
  const outcome = (uses: boolean): DrugTestResult['result'] =>
    refused ? 'refused' : uses && random.chance(drugTest.positiveGivenUse) ? 'positive' : 'negative';
  const results: DrugTestResult[] = [
    { substance: 'opiates', result: outcome(profile.usesOpiates) },
    { substance: 'cocaine', result: outcome(profile.usesCocaine) },
  ];
  if (random.chance(drugTest.otherSubstanceTestedShare)) {
    results.push({ substance: 'other', result: refused ? 'refused' : random.chance(drugTest.otherPositiveShare) ? 'positive' : 'negative' });
  }
  const requiredAssessment = results.some((r) => r.substance !== 'other' && r.result === 'positive');
  story.record({
    type: 'drug-test',
    atMs: story.context.fromMs + today * msPerDay + random.int(0, 86_399) * 1000,
    localAuthority: story.localAuthority,
    triggerOffence: random.chance(drugTest.triggerOffenceShare),
    results,
    requiredAssessment,
  });
  if (requiredAssessment && random.chance(drugTest.assessmentReferralShare)) {
    referToTreatment(story, today + random.int(1, 7), 'police', drugTest.startAfterAssessmentShare, drugTest.daysFromAssessmentToStart);
  }
  if (random.chance(drugTest.remandAfterArrestShare)) story.schedule({ kind: 'custody-start', day: today + 1, reason: 'remand' });
}

function joinClusters(story: PersonStory, today: number): void {
  if (story.state.status !== 'community') return;
  const plans = story.context.clustersByDay.get(today);
  if (!plans || !story.profile.usesOpiates) return;
  for (const plan of plans) {
    if (plan.localAuthorityIndex !== story.profile.localAuthorityIndex || !story.random.chance(plan.victimProbability)) continue;
    const atMs = story.context.fromMs + today * msPerDay + story.random.int(0, clusters.spreadHours * 3600) * 1000;
    recordOverdose(story, today, { substances: plan.substances, atMs });
  }
}
