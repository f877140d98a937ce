import type { StoredEvent } from '@hub/event-store';
import type { RecordVersion, Retraction } from './timeline-record';
import { latestKnownAt, timelineEntries } from './timeline-store';

/** COPY into a table of the projection's schema (`BulkRebuildContext.copy`); JSON arrives as text. */
export type CopyInto = (table: string, columns: readonly string[], rows: Iterable<readonly (string | number)[]>) => Promise<number>;

/** What a page added to the timelines, for the processor's own fold. */
export interface TimelinePage {
  readonly versions: readonly RecordVersion[];
  readonly retractions: readonly Retraction[];
  /** The latest instant any fact in the page was known at (the event-time position). */
  readonly watermark: string | undefined;
}

/**
 * A rebuild's way to fill `TimelineStore`'s tables: record versions and retractions are written with
 * COPY as each page is read (nothing kept), the subject -> person table is folded in memory (the
 * latest assignment of each subject, in log order) and written at the end. The rows are those
 * `TimelineStore.apply` writes, from the same `timelineEntries`.
 */
export class TimelineBulkLoad {
  private readonly personOfStream = new Map<string, string>();

  constructor(private readonly copy: CopyInto) {}

  async apply(events: readonly StoredEvent[]): Promise<TimelinePage> {
    const { versions, retractions, assignments } = timelineEntries(events);
    for (const assignment of assignments) this.personOfStream.set(assignment.subjectStream, assignment.personRef);
    if (versions.length > 0) {
      // Rows made as COPY consumes them: each body's JSON is garbage once its chunk is sent.
      await this.copy('record_versions', ['position', 'stream_id', 'record_key', 'known_at', 'body'],
        lazily(versions, (v) => [v.position, v.streamId, v.key, v.knownAt, JSON.stringify(v)]));
    }
    if (retractions.length > 0) {
      await this.copy('retractions', ['target_key', 'position', 'known_at'], retractions.map((r) => [r.targetKey, r.position, r.knownAt]));
    }
    return { versions, retractions, watermark: latestKnownAt(versions, retractions) };
  }

  /** Writes the subjects table; returns every person a subject belongs to. */
  async finish(): Promise<string[]> {
    await this.copy('subjects', ['stream_id', 'person_ref'], this.personOfStream);
    const persons = [...new Set(this.personOfStream.values())].sort();
    this.personOfStream.clear();
    return persons;
  }
}

function* lazily<T, R>(items: readonly T[], row: (item: T) => R): Iterable<R> {
  for (const item of items) yield row(item);
}
