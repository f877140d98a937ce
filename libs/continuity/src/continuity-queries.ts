import type { Queryable } from '@hub/database';
import { daysBetween, type LocalDate, londonDateOf } from '@hub/kernel';
import { activeSchemaOf } from '@hub/projections';
import { currentVersions, type FactVersion, type JudgedRelease, judgeReleases, personsWithoutBirthDate, type RetractionMark, streamsByPerson } from './continuity-facts';
import type { LinkedBirthDates } from './linked-birth-date';
import { type ContinuityReport, countReleases, type GroupCounts, type ReportDimension, type ReportRequest, reportRows } from './continuity-report';
import { windowEndsOn } from './continuity.rules';
import { continuityProjectionName } from './continuity.projection';
import { ContinuityTables, fromRecord, releaseColumns, type ReleaseRecord, type ReleaseRow } from './continuity-tables';
import { adjustCounts, agencyOfStream, optedOutTest, type ReportOptOut, streamsUsableForBirthDate, withoutOptedOutNhsData } from './continuity-opt-out.rules';

export interface ReportScope {
  /** The instant "now" is (the hub's clock). */
  readonly now: Date;
  /** Only releases published by these agencies (the caller's grants); all when absent. */
  readonly providers?: readonly string[];
  /** Aggregate reporting under an agreement that respects the National Data Opt-out: NHS data of opted-out people is left out. */
  readonly optOut?: ReportOptOut;
}

/** The opt-out as one report applies it: the NHS bodies, and the subject streams on the register as of the report's instant. */
interface LeaveOut {
  readonly nhsProviders: readonly string[];
  readonly streams: ReadonlySet<string>;
}

/** One person on a treatment provider's worklist: released to it, window open, not engaged yet. */
export interface PendingEngagement {
  readonly personRef: string;
  readonly releasedOn: LocalDate;
  readonly prisonId: string;
  readonly localAuthority: string;
  readonly substanceGroup: string | null;
  readonly referredOn: LocalDate | null;
  readonly windowEndsOn: LocalDate;
  readonly daysLeft: number;
  /** The agency that published the release (for the agreement check). */
  readonly provider: string;
}

const dimensionSql: Record<ReportDimension, string> = {
  month: `to_char(released_on, 'YYYY-MM')`, prisonId: 'prison_id', localAuthority: 'local_authority', substanceGroup: `nullif(substance_group, '')`,
};

/**
 * Reads of the continuity projection. As of now (or any instant after the last arrival applied),
 * reports read the daily cohort counts; as of an earlier instant they judge again from the stored
 * versions, retractions and links that had arrived by then, so a past report never changes.
 */
export class ContinuityQueries {
  /** `births`: dates of birth from linked records, for releases without one of their own. */
  constructor(private readonly db: Queryable, private readonly births: LinkedBirthDates) {}

  async report(request: ReportRequest, scope: ReportScope): Promise<ContinuityReport> {
    const schema = await activeSchemaOf(this.db, continuityProjectionName);
    const asOf = request.asOf ?? scope.now.toISOString();
    const today = londonDateOf(new Date(asOf));
    const lastArrival = await new ContinuityTables(this.db, schema).lastArrival();
    const current = request.asOf === undefined || lastArrival === undefined || Date.parse(request.asOf) >= Date.parse(lastArrival);
    const leaveOut = await leaveOutOf(scope.optOut, asOf);
    const counts = current
      ? await this.countsNow(schema, request, today, scope.providers, leaveOut)
      : countReleases(
        (await this.judgedAsOf(schema, request.from, request.to, asOf, leaveOut)).filter((r) => scope.providers === undefined || scope.providers.includes(r.provider)),
        request.groupBy, today,
      );
    return { from: request.from, to: request.to, asOf, rows: reportRows(counts, request.groupBy, request.disclosure) };
  }

  /**
   * Releases in [from, to] judged on what had arrived by `asOf`: versions, retractions and links
   * recorded by then; with `leaveOut`, without the NHS data of opted-out people.
   */
  async judgedAsOf(schema: string, from: LocalDate, to: LocalDate, asOf: string, leaveOut?: LeaveOut): Promise<JudgedRelease[]> {
    const s = schema;
    const { rows: keyRows } = await this.db.query<{ record_key: string }>(
      `SELECT DISTINCT record_key FROM ${s}.fact_versions WHERE kind = 'release' AND on_date BETWEEN $1 AND $2 AND recorded_at <= $3`, [from, to, asOf],
    );
    const releases = (await this.currentAsOf(s, keyRows.map((r) => r.record_key), asOf))
      .filter((v) => v.fact.kind === 'release' && from <= v.fact.releasedOn && v.fact.releasedOn <= to);
    const linksOfReleases = await this.linksAsOf(s, [...new Set(releases.map((r) => r.streamId))], asOf);
    const personSet = new Set(linksOfReleases.values());
    const persons = [...personSet];
    const { rows: candidateRows } = persons.length === 0 ? { rows: [] } : await this.db.query<{ stream_id: string }>(
      `SELECT DISTINCT stream_id FROM ${s}.links WHERE person_ref = ANY($1::text[]) AND recorded_at <= $2`, [persons, asOf],
    );
    const personOf = new Map(linksOfReleases);
    for (const [stream, person] of await this.linksAsOf(s, candidateRows.map((r) => r.stream_id), asOf)) {
      if (personSet.has(person)) personOf.set(stream, person);
    }
    const streams = [...new Set([...releases.map((r) => r.streamId), ...personOf.keys()])];
    const { rows: otherKeys } = await this.db.query<{ record_key: string }>(
      `SELECT DISTINCT record_key FROM ${s}.fact_versions WHERE stream_id = ANY($1::text[]) AND kind <> 'release' AND recorded_at <= $2`, [streams, asOf],
    );
    const streamSet = new Set(streams);
    const others = (await this.currentAsOf(s, otherKeys.map((r) => r.record_key), asOf)).filter((v) => streamSet.has(v.streamId));
    return this.judge([...releases, ...others], personOf, leaveOut, asOf);
  }

  /** Judges the releases among `records` (as the projection does), leaving out what `leaveOut` says. */
  private async judge(all: readonly FactVersion[], personOf: ReadonlyMap<string, string>, leaveOut: LeaveOut | undefined, asOf?: string): Promise<JudgedRelease[]> {
    const isOptedOut = leaveOut ? optedOutTest(leaveOut.streams, (stream) => personOf.get(stream)) : () => false;
    const nhsProviders = leaveOut?.nhsProviders ?? [];
    const records = withoutOptedOutNhsData(all, nhsProviders, isOptedOut);
    const linkedBirthDates = new Map<string, LocalDate>();
    const streamsOf = streamsByPerson(personOf);
    for (const person of personsWithoutBirthDate(records, (stream) => personOf.get(stream))) {
      const birthDate = await this.births.of(streamsUsableForBirthDate(streamsOf.get(person) ?? [], nhsProviders, isOptedOut), asOf);
      if (birthDate) linkedBirthDates.set(person, birthDate);
    }
    return judgeReleases(records, (stream) => personOf.get(stream), linkedBirthDates);
  }

  /** A person's judged releases, as the report counts them (subject access). */
  async releasesOf(personRef: string): Promise<ReleaseRow[]> {
    const schema = await activeSchemaOf(this.db, continuityProjectionName);
    const { rows } = await this.db.query<ReleaseRecord>(`SELECT ${releaseColumns} FROM ${schema}.releases WHERE person_ref = $1 ORDER BY released_on, record_key`, [personRef]);
    return rows.map(fromRecord);
  }

  /** A treatment provider's people whose window is open on `today` and who have not engaged, most urgent first. */
  async pendingFor(referralProviderId: string, today: LocalDate): Promise<PendingEngagement[]> {
    const schema = await activeSchemaOf(this.db, continuityProjectionName);
    const { rows } = await this.db.query<ReleaseRecord>(
      `SELECT ${releaseColumns} FROM ${schema}.releases
        WHERE outcome = 'open' AND referral_provider_id = $1 AND window_ends_on >= $2 AND released_on <= $2 AND person_ref IS NOT NULL
        ORDER BY window_ends_on, released_on, person_ref`,
      [referralProviderId, today],
    );
    return rows.map(fromRecord).map((r) => ({
      personRef: r.personRef!, releasedOn: r.releasedOn, prisonId: r.prisonId, localAuthority: r.localAuthority,
      substanceGroup: r.substanceGroup, referredOn: r.referredOn, windowEndsOn: r.windowEndsOn,
      daysLeft: daysBetween(today, windowEndsOn(r.releasedOn)), provider: r.provider,
    }));
  }

  /**
   * The daily counts, and with `leaveOut` the opted-out people's releases in the range judged again
   * without their NHS data, their contribution swapped (a handful of people, whatever the range).
   */
  private async countsNow(schema: string, request: ReportRequest, today: LocalDate, providers: readonly string[] | undefined, leaveOut: LeaveOut | undefined): Promise<GroupCounts[]> {
    const base = await this.dailyCounts(schema, request, today, providers);
    if (!leaveOut) return base;
    const tables = new ContinuityTables(this.db, schema);
    const optedOutPersons = [...new Set((await tables.personsOfStreams([...leaveOut.streams])).values())];
    const { rows } = optedOutPersons.length === 0 ? { rows: [] } : await this.db.query<{ person_ref: string }>(
      `SELECT DISTINCT person_ref FROM ${schema}.releases WHERE person_ref = ANY($1::text[]) AND released_on BETWEEN $2 AND $3`,
      [optedOutPersons, request.from, request.to],
    );
    const personOf = new Map(await tables.streamsOfPersons(rows.map((r) => r.person_ref)));
    const nhs = new Set(leaveOut.nhsProviders);
    // Only people with data from an NHS body can count differently.
    if (![...personOf.keys()].some((stream) => nhs.has(agencyOfStream(stream)))) return base;
    const records = await tables.currentFactsOfStreams([...personOf.keys()]);
    const inReport = (judged: readonly JudgedRelease[]) => judged.filter((r) => request.from <= r.release.releasedOn && r.release.releasedOn <= request.to
      && (providers === undefined || providers.includes(r.provider)));
    const before = countReleases(inReport(await this.judge(records, personOf, undefined)), request.groupBy, today);
    const after = countReleases(inReport(await this.judge(records, personOf, leaveOut)), request.groupBy, today);
    return adjustCounts(base, before, after, request.groupBy);
  }

  private async dailyCounts(schema: string, request: ReportRequest, today: LocalDate, providers: readonly string[] | undefined): Promise<GroupCounts[]> {
    const dims = request.groupBy;
    const select = dims.map((d) => `${dimensionSql[d]} AS "${d}"`);
    const params: unknown[] = [request.from, request.to, today];
    const providerFilter = providers === undefined ? '' : `AND provider = ANY($${params.push(providers)}::text[])`;
    const { rows } = await this.db.query<Record<string, string | null> & { released: number; engaged: number; excluded: number; pending: number; not_engaged: number }>(
      `SELECT ${[...select, ''].join(', ')}
         coalesce(sum(released), 0)::int AS released, coalesce(sum(engaged), 0)::int AS engaged, coalesce(sum(excluded), 0)::int AS excluded,
         coalesce(sum(open) FILTER (WHERE released_on >= $3::date - 21), 0)::int AS pending,
         coalesce(sum(open) FILTER (WHERE released_on < $3::date - 21), 0)::int AS not_engaged
       FROM ${schema}.daily_cohort WHERE released_on BETWEEN $1 AND $2 ${providerFilter}
       ${dims.length > 0 ? `GROUP BY ${dims.map((_, i) => i + 1).join(', ')}` : ''}`,
      params,
    );
    return rows.map((row) => ({
      group: Object.fromEntries(dims.map((d) => [d, row[d] ?? null])),
      released: row.released, engaged: row.engaged, notEngaged: row.not_engaged, pending: row.pending, excluded: row.excluded,
    }));
  }

  private async currentAsOf(s: string, keys: readonly string[], asOf: string): Promise<FactVersion[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.db.query<{ record_key: string; stream_id: string; provider: string; time: Date; recorded_at: Date; position: string; fact: FactVersion['fact'] }>(
      `SELECT record_key, stream_id, provider, time, recorded_at, position, fact FROM ${s}.fact_versions
        WHERE record_key = ANY($1::text[]) AND recorded_at <= $2`, [keys, asOf],
    );
    const { rows: retracted } = await this.db.query<{ target_key: string; recorded_at: Date; position: string }>(
      `SELECT target_key, recorded_at, position FROM ${s}.retractions WHERE target_key = ANY($1::text[]) AND recorded_at <= $2`, [keys, asOf],
    );
    const versions: FactVersion[] = rows.map((r) => ({
      key: r.record_key, streamId: r.stream_id, provider: r.provider, time: r.time.toISOString(),
      recordedAt: r.recorded_at.toISOString(), position: Number(r.position), fact: r.fact,
    }));
    const retractions: RetractionMark[] = retracted.map((r) => ({ targetKey: r.target_key, recordedAt: r.recorded_at.toISOString(), position: Number(r.position) }));
    return currentVersions(versions, retractions, asOf);
  }

  /** stream -> person as the links that had arrived by `asOf` say (the latest link of each stream). */
  private async linksAsOf(s: string, streams: readonly string[], asOf: string): Promise<Map<string, string>> {
    if (streams.length === 0) return new Map();
    const { rows } = await this.db.query<{ stream_id: string; person_ref: string }>(
      `SELECT DISTINCT ON (stream_id) stream_id, person_ref FROM ${s}.links
        WHERE stream_id = ANY($1::text[]) AND recorded_at <= $2 ORDER BY stream_id, position DESC`, [streams, asOf],
    );
    return new Map(rows.map((r) => [r.stream_id, r.person_ref]));
  }
}

async function leaveOutOf(optOut: ReportOptOut | undefined, asOf: string): Promise<LeaveOut | undefined> {
  if (!optOut || optOut.nhsProviders.length === 0) return undefined;
  const streams = await optOut.optedOutStreams(asOf);
  return streams.size === 0 ? undefined : { nhsProviders: optOut.nhsProviders, streams };
}
