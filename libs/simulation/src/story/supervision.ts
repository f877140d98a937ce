import { probation, type Requirement } from './parameters';
import type { PersonStory } from './person-story';

export function startSupervision(story: PersonStory, today: number, requirement: Requirement, drugRehabilitationRequirement: boolean): void {
  if (!story.context.area.probation) return;
  const id = story.newId();
  story.state.supervision = { id, requirement };
  story.record({ type: 'supervision-start', day: today, localAuthority: story.localAuthority, requirement, drugRehabilitationRequirement });
  const isLicence = requirement === 'licence';
  story.schedule({
    kind: 'supervision-end',
    day: today + story.between(isLicence ? probation.licenceDays : probation.orderDays),
    supervisionId: id,
    reason: isLicence ? 'licence expired' : story.random.weighted(probation.orderEndWeights),
  });
}

export function endSupervision(story: PersonStory, day: number, reason: string): void {
  if (!story.state.supervision) return;
  story.record({ type: 'supervision-end', day, reason });
  story.state.supervision = undefined;
}
