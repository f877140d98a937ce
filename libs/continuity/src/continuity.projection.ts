import type { PoolClient } from 'pg';
import type { Queryable } from '@hub/database';
import type { StoredEvent } from '@hub/event-store';
import { type LocalDate, retractionEventTypes } from '@hub/kernel';
import type { Projection, ProjectionContext } from '@hub/projections';
import { isRetraction, normaliseEvent, subjectAssignedType, type SubjectAssigned, timelineFactTypes } from '@hub/timeline';
import {
  type FactVersion, isContinuityFact, type JudgedRelease, judgeReleases, personsWithoutBirthDate, type RetractionMark, streamsByPerson, supersedes,
} from './continuity-facts';
import { StoreLinkedBirthDates } from './linked-birth-date';
import { ContinuityTables, type ReleaseRow, toReleaseRow } from './continuity-tables';

export const continuityProjectionName = 'continuity';

/**
 * The types the projection reads: every catalogue fact (releases, receptions, starts, discharges and
 * drug-death reports are kept; any other record of a person may carry the date of birth a release
 * lacks, so it has the person judged again), retractions and identity links.
 */
export const continuityEventTypes: readonly string[] = [...timelineFactTypes, ...retractionEventTypes, subjectAssignedType];

export interface ContinuityDependencies {
  /** Opens sealed personal fields: only a release's date of birth is read, to store the age on release. */
  readonly vault: { reveal(events: readonly StoredEvent[], client: Queryable): Promise<readonly StoredEvent[]> };
  /** The log, read for linked records' dates of birth when a release has none. */
  readonly store: { readStream(streamId: string): Promise<readonly StoredEvent[]> };
}

interface Link { readonly position: number; readonly streamId: string; readonly personRef: string; readonly recordedAt: string }

/**
 * Continuity of care (SPEC section 5). Keeps every version of the facts it reads, retractions and
 * links with their arrival time (for reports "as of" a past instant), the current version of each
 * record, and for each current release its judgement (engaged, excluded, or open) with a daily
 * aggregate of the cohort, so a report as of now reads a few thousand rows whatever the log's size.
 * Whenever a person's facts or links change, all of that person's releases are judged again.
 */
export class ContinuityProjection implements Projection {
  readonly name = continuityProjectionName;
  readonly version = 1;
  readonly eventTypes = continuityEventTypes;

  constructor(private readonly deps: ContinuityDependencies) {}

  async install(client: PoolClient, schema: string): Promise<void> {
    await ContinuityTables.install(client, schema);
  }

  async apply(events: readonly StoredEvent[], context: ProjectionContext): Promise<void> {
    const tables = new ContinuityTables(context.client, context.schema);
    const { versions, retractions, links, otherRecords } = await this.read(events, context.client);
    await tables.recordHistory(versions, retractions, links);
    const affectedStreams = new Set<string>();
    const affectedPersons = new Set<string>();
    for (const stream of await this.updateCurrentFacts(tables, versions, retractions)) affectedStreams.add(stream);
    for (const stream of otherRecords) affectedStreams.add(stream);
    if (links.length > 0) {
      // The person each linked stream belonged to before the page, every person a link names, and the streams' latest links.
      for (const before of (await tables.personsOfStreams([...new Set(links.map((l) => l.streamId))])).values()) affectedPersons.add(before);
      const latest = new Map<string, Link>();
      for (const link of links) {
        affectedPersons.add(link.personRef);
        affectedStreams.add(link.streamId);
        const current = latest.get(link.streamId);
        if (!current || link.position > current.position) latest.set(link.streamId, link);
      }
      await tables.assign([...latest.values()]);
    }
    // Every event read may change a judgement (a record elsewhere can carry the date of birth a release lacks).
    const lastArrival = events.map((e) => new Date(e.recordedAt).toISOString()).sort().pop();
    if (lastArrival) await tables.recordArrival(lastArrival);
    if (affectedStreams.size === 0 && affectedPersons.size === 0) return;
    await this.judgeAgain(context, tables, affectedStreams, affectedPersons);
  }

  private async read(events: readonly StoredEvent[], client: Queryable) {
    const releases = events.filter((e) => e.type === 'prison.release.recorded.v1');
    const opened = new Map(releases.length === 0 ? [] : (await this.deps.vault.reveal(releases, client)).map((e) => [e.globalPosition, e]));
    const versions: FactVersion[] = [];
    const retractions: RetractionMark[] = [];
    const links: Link[] = [];
    const otherRecords = new Set<string>();
    for (const stored of events) {
      const event = opened.get(stored.globalPosition) ?? stored;
      const recordedAt = new Date(event.recordedAt).toISOString();
      if (event.type === subjectAssignedType) {
        const assigned = event.data as unknown as SubjectAssigned;
        links.push({ position: event.globalPosition, streamId: assigned.subjectStream, personRef: assigned.personRef, recordedAt });
        continue;
      }
      const normalised = normaliseEvent(event);
      if (!normalised) continue;
      if (isRetraction(normalised)) {
        retractions.push({ targetKey: normalised.targetKey, recordedAt, position: normalised.position });
        // A retracted record of another kind may have carried the date of birth a release lacks.
        otherRecords.add(event.streamId);
      } else if (isContinuityFact(normalised.fact)) {
        versions.push({
          key: normalised.key, streamId: normalised.streamId, provider: normalised.provider, time: normalised.time,
          recordedAt, position: normalised.position, fact: normalised.fact,
        });
      } else {
        otherRecords.add(normalised.streamId);
      }
    }
    return { versions, retractions, links, otherRecords };
  }

  /** Moves each record to its latest version (retracted records stay out for good); returns the streams whose records changed. */
  private async updateCurrentFacts(tables: ContinuityTables, versions: readonly FactVersion[], retractions: readonly RetractionMark[]): Promise<Set<string>> {
    const changed = new Set<string>();
    const keys = [...new Set(versions.map((v) => v.key))];
    const retracted = await tables.retractedAmong(keys);
    const current = await tables.currentFacts(keys);
    const upserts = new Map<string, FactVersion>();
    for (const version of versions) {
      if (retracted.has(version.key)) continue;
      const existing = upserts.get(version.key) ?? current.get(version.key);
      if (existing && !supersedes(version, existing)) continue;
      if (existing) changed.add(existing.streamId);
      changed.add(version.streamId);
      upserts.set(version.key, version);
    }
    await tables.saveCurrentFacts([...upserts.values()]);
    for (const stream of await tables.removeCurrentFacts(retractions.map((r) => r.targetKey))) changed.add(stream);
    return changed;
  }

  /** Judges again every release of the people (and of the streams linked to nobody yet) touched, and moves the daily counts. */
  private async judgeAgain(context: ProjectionContext, tables: ContinuityTables, streams: ReadonlySet<string>, persons: ReadonlySet<string>): Promise<void> {
    const linkedOfStreams = await tables.personsOfStreams([...streams]);
    const allPersons = [...new Set([...persons, ...linkedOfStreams.values()])];
    const personOf = new Map(await tables.streamsOfPersons(allPersons));
    const unlinked = [...streams].filter((s) => !personOf.has(s));
    const allStreams = [...new Set([...personOf.keys(), ...unlinked])];
    const records = await tables.currentFactsOfStreams(allStreams);
    const births = new StoreLinkedBirthDates(this.deps.store, this.deps.vault, context.client);
    const linkedBirthDates = new Map<string, LocalDate>();
    const streamsOf = streamsByPerson(personOf);
    for (const person of personsWithoutBirthDate(records, (stream) => personOf.get(stream))) {
      const birthDate = await births.of(streamsOf.get(person) ?? []);
      if (birthDate) linkedBirthDates.set(person, birthDate);
    }
    const judged = judgeReleases(records, (stream) => personOf.get(stream), linkedBirthDates);
    const after = judged.map((j: JudgedRelease): ReleaseRow => toReleaseRow(j));
    const before = await tables.releasesOfStreams(allStreams, after.map((r) => r.recordKey));
    await tables.replaceReleases(before, after);
  }
}
