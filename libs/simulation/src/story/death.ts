import { death } from './parameters';
import type { PersonStory } from './person-story';
import { deathCircumstances, inquestConclusions, suspectedSubstances } from './substances';
import { endSupervision } from './supervision';
import { endTreatment } from './treatment';

export function die(story: PersonStory, today: number): void {
  const { state, random, profile } = story;
  const substances = random.weighted(suspectedSubstances[profile.substanceGroup ?? 'none']);
  story.record({
    type: 'death', day: today, localAuthority: story.localAuthority,
    suspectedSubstances: substances, circumstances: random.pick(deathCircumstances),
  });
  if (state.treatment) endTreatment(story, today, 'died');
  if (state.supervision) endSupervision(story, today, 'died');
  state.plannedStartToken = undefined;
  state.status = 'dead';
  if (random.chance(death.inquestShare)) {
    story.schedule({
      kind: 'inquest', day: today + story.between(death.daysToInquest),
      drugRelated: random.chance(death.drugRelatedShare), substances,
    });
  }
}

export function recordInquest(story: PersonStory, today: number, drugRelated: boolean, substances: readonly string[]): void {
  story.record({
    type: 'inquest', day: today, drugRelated,
    substances: drugRelated ? substances : [],
    conclusion: story.random.pick(drugRelated ? inquestConclusions.drugRelated : inquestConclusions.notDrugRelated),
  });
}
