import type { CloudEvent } from '@hub/kernel';
import type { AgencyView } from '../identity/agency-view';
import { drawIdentity, type PersonIdentity } from '../identity/person-identity';
import { EventPublisher } from '../publishing/event-publisher';
import { Random } from '../random/random';
import { msPerDay, type SimulationContext } from '../simulation-context';
import { drawProfile } from '../story/person-profile';
import { PersonStory } from '../story/person-story';
import { Outbox, type PendingRecord } from './outbox';

/**
 * One person's events in `time` order, produced lazily: the story is simulated only as far as
 * needed to know that no later-simulated event can come before the next one handed out.
 */
export class PersonTimeline {
  readonly identity: PersonIdentity;
  private readonly story: PersonStory;
  private readonly publisher: EventPublisher;
  private readonly outbox: Outbox;
  private readonly ids: Random;

  constructor(private readonly context: SimulationContext, readonly index: number) {
    const storyRandom = Random.of(context.seed, 'story', index);
    const profile = drawProfile(storyRandom, context.area.localAuthorityCodes.length, context.windowDays);
    this.identity = drawIdentity(context, index, profile);
    this.outbox = new Outbox(context.windowEndMs);
    this.publisher = new EventPublisher(context, this.identity, Random.of(context.seed, 'publish', index), this.outbox);
    this.ids = Random.of(context.seed, 'ids', index);
    this.story = new PersonStory(profile, storyRandom, context, this.publisher);
  }

  /** The next record in time order, or undefined when the person has nothing more in the window. */
  next(): PendingRecord | undefined {
    while (!this.story.finished && !this.isFinal(this.outbox.peek())) this.story.step();
    return this.outbox.shift();
  }

  /** The CloudEvent for a record this timeline returned; call once per record, in the order returned. */
  toEvent(record: PendingRecord): CloudEvent {
    return {
      specversion: '1.0',
      id: this.ids.uuid(),
      source: record.view.source,
      type: record.type,
      subject: record.view.subject,
      time: this.context.calendar.instantOf(record.timeMs),
      datacontenttype: 'application/json',
      data: { recordId: record.recordId, person: record.view.person, ...record.fields },
    };
  }

  /** The agencies' subjects used for this person so far (all of them once `next()` returned undefined). */
  subjects(): Iterable<AgencyView> {
    return this.publisher.subjects();
  }

  private isFinal(head: PendingRecord | undefined): boolean {
    return head !== undefined && head.timeMs < this.context.fromMs + this.story.nextDay * msPerDay;
  }
}

