import type { Agency } from '@hub/kernel';
import { release } from './parameters';
import type { PersonStory } from './person-story';

/** The provider commissioned for the person's local authority, now and then another one. */
export function chooseProvider(story: PersonStory): Agency | undefined {
  const { area } = story.context;
  if (story.random.chance(release.otherProviderShare) && area.providers.length > 1) return story.random.pick(area.providers);
  return area.providerFor(story.profile.localAuthorityIndex);
}
