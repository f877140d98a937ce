import type { CloudEvent } from '@hub/kernel';
import { createContext, type SimulationContext } from './simulation-context';
import type { GroundTruthEntry, SimulationOptions } from './simulation-options';
import { MinHeap } from './stream/min-heap';
import type { PendingRecord } from './stream/outbox';
import { PersonTimeline } from './stream/person-timeline';

/** A person's next record; each person has at most one entry, so (time, person) orders the heap totally. */
interface HeapEntry {
  readonly timeMs: number;
  readonly index: number;
  readonly record: PendingRecord;
  readonly timeline: PersonTimeline;
}

const entry = (record: PendingRecord, timeline: PersonTimeline): HeapEntry =>
  ({ timeMs: record.timeMs, index: timeline.index, record, timeline });

/**
 * Synthetic events for the area, in non-decreasing `time` order. The result can be iterated
 * more than once; each pass simulates afresh and yields byte-identical events.
 */
export function simulate(options: SimulationOptions): Iterable<CloudEvent> {
  const context = createContext(options);
  return { [Symbol.iterator]: () => mergeTimelines(context) };
}

/** The events, and which person is really behind each agency's subject. */
export function simulateWithTruth(options: SimulationOptions): {
  events: Iterable<CloudEvent>;
  groundTruth(): Iterable<GroundTruthEntry>;
} {
  const context = createContext(options);
  return {
    events: { [Symbol.iterator]: () => mergeTimelines(context) },
    groundTruth: () => ({ [Symbol.iterator]: () => groundTruthOf(context) }),
  };
}

/** Merges the people's lazy timelines with a min-heap keyed by (time, person). */
function* mergeTimelines(context: SimulationContext): Generator<CloudEvent> {
  const heap = new MinHeap<HeapEntry>((a, b) => a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.index < b.index));
  for (let index = 0; index < context.people; index++) {
    const timeline = new PersonTimeline(context, index);
    const record = timeline.next();
    if (record) heap.push(entry(record, timeline));
  }
  while (heap.size > 0) {
    const top = heap.peek()!;
    yield top.timeline.toEvent(top.record);
    const record = top.timeline.next();
    if (record) heap.replaceTop(entry(record, top.timeline));
    else heap.pop();
  }
}

/** Replays each person's story alone (pure, so identical to the event pass) and lists the subjects used. */
function* groundTruthOf(context: SimulationContext): Generator<GroundTruthEntry> {
  for (let index = 0; index < context.people; index++) {
    const timeline = new PersonTimeline(context, index);
    while (timeline.next()) { /* run the story to its end */ }
    for (const view of timeline.subjects()) {
      yield { source: view.source, subject: view.subject, personId: timeline.identity.personId };
    }
  }
}
