import type { Queryable } from '@hub/database';
import type { LocalDate } from '@hub/kernel';
import type { FactVersion, JudgedRelease, RetractionMark } from './continuity-facts';
import { windowEndsOn } from './continuity.rules';

/** One current release as the report and the worklist read it: codes, dates and a pseudonymous personRef only. */
export interface ReleaseRow {
  readonly recordKey: string;
  readonly streamId: string;
  readonly provider: string;
  readonly personRef: string | null;
  readonly releasedOn: LocalDate;
  readonly prisonId: string;
  readonly localAuthority: string;
  readonly substanceGroup: string | null;
  readonly referralProviderId: string | null;
  readonly referredOn: LocalDate | null;
  readonly inCohort: boolean;
  /** Why a release is not in the cohort, or why it is excluded. */
  readonly reason: string | null;
  /** engaged | excluded | open (pending or not-engaged, by date); null outside the cohort. */
  readonly outcome: 'engaged' | 'excluded' | 'open' | null;
  /** The day that settled it: first qualifying start, or the death or reception that excluded it. */
  readonly decidedOn: LocalDate | null;
  readonly windowEndsOn: LocalDate;
}

export function toReleaseRow(judged: JudgedRelease): ReleaseRow {
  const { release, judgement } = judged;
  return {
    recordKey: judged.key, streamId: judged.streamId, provider: judged.provider, personRef: judged.personRef,
    releasedOn: release.releasedOn, prisonId: release.prisonId, localAuthority: release.destinationLocalAuthority,
    substanceGroup: release.substanceGroup, referralProviderId: release.referral?.providerId ?? null,
    referredOn: release.referral?.referredOn ?? null, inCohort: judgement.inCohort,
    reason: !judgement.inCohort ? judgement.cohortExclusion : judgement.outcome === 'excluded' ? judgement.reason : null,
    outcome: judgement.inCohort ? judgement.outcome : null,
    decidedOn: judgement.inCohort && judgement.outcome !== 'open' ? judgement.on : null,
    windowEndsOn: windowEndsOn(release.releasedOn),
  };
}

/** The daily cohort counts are keyed on these; a null substance group is stored as ''. */
interface DailyKey { releasedOn: LocalDate; provider: string; prisonId: string; localAuthority: string; substanceGroup: string }
interface DailyDelta extends DailyKey { released: number; engaged: number; excluded: number; open: number }

/** The projection's tables in one generation's schema. */
export class ContinuityTables {
  constructor(private readonly client: Queryable, private readonly schema: string) {}

  static async install(client: Queryable, s: string): Promise<void> {
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s}.fact_versions (
        position bigint PRIMARY KEY, record_key text NOT NULL, stream_id text NOT NULL, provider text NOT NULL,
        kind text NOT NULL, on_date date NOT NULL, time timestamptz NOT NULL, recorded_at timestamptz NOT NULL, fact jsonb NOT NULL);
      CREATE INDEX IF NOT EXISTS fact_versions_key ON ${s}.fact_versions (record_key);
      CREATE INDEX IF NOT EXISTS fact_versions_stream ON ${s}.fact_versions (stream_id);
      CREATE INDEX IF NOT EXISTS fact_versions_release_day ON ${s}.fact_versions (on_date) WHERE kind = 'release';
      CREATE TABLE IF NOT EXISTS ${s}.retractions (
        target_key text NOT NULL, position bigint NOT NULL, recorded_at timestamptz NOT NULL, PRIMARY KEY (target_key, position));
      CREATE TABLE IF NOT EXISTS ${s}.links (
        position bigint PRIMARY KEY, stream_id text NOT NULL, person_ref text NOT NULL, recorded_at timestamptz NOT NULL);
      CREATE INDEX IF NOT EXISTS links_stream ON ${s}.links (stream_id, position);
      CREATE INDEX IF NOT EXISTS links_person ON ${s}.links (person_ref);
      CREATE TABLE IF NOT EXISTS ${s}.subjects (stream_id text PRIMARY KEY, person_ref text NOT NULL);
      CREATE INDEX IF NOT EXISTS subjects_person ON ${s}.subjects (person_ref);
      CREATE TABLE IF NOT EXISTS ${s}.current_facts (
        record_key text PRIMARY KEY, stream_id text NOT NULL, provider text NOT NULL, time timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL, position bigint NOT NULL, fact jsonb NOT NULL);
      CREATE INDEX IF NOT EXISTS current_facts_stream ON ${s}.current_facts (stream_id);
      CREATE TABLE IF NOT EXISTS ${s}.releases (
        record_key text PRIMARY KEY, stream_id text NOT NULL, provider text NOT NULL, person_ref text,
        released_on date NOT NULL, prison_id text NOT NULL, local_authority text NOT NULL, substance_group text,
        referral_provider_id text, referred_on date, in_cohort boolean NOT NULL, reason text, outcome text,
        decided_on date, window_ends_on date NOT NULL);
      CREATE INDEX IF NOT EXISTS releases_stream ON ${s}.releases (stream_id);
      CREATE INDEX IF NOT EXISTS releases_open_by_provider ON ${s}.releases (referral_provider_id, window_ends_on) WHERE outcome = 'open';
      CREATE TABLE IF NOT EXISTS ${s}.daily_cohort (
        released_on date NOT NULL, provider text NOT NULL, prison_id text NOT NULL, local_authority text NOT NULL,
        substance_group text NOT NULL, released integer NOT NULL, engaged integer NOT NULL, excluded integer NOT NULL,
        open integer NOT NULL, PRIMARY KEY (released_on, provider, prison_id, local_authority, substance_group));
      CREATE TABLE IF NOT EXISTS ${s}.arrivals (id smallint PRIMARY KEY, last_recorded_at timestamptz NOT NULL);`);
  }

  async recordHistory(versions: readonly FactVersion[], retractions: readonly RetractionMark[], links: readonly { position: number; streamId: string; personRef: string; recordedAt: string }[]): Promise<void> {
    const s = this.schema;
    if (versions.length > 0) {
      await this.client.query(
        `INSERT INTO ${s}.fact_versions (position, record_key, stream_id, provider, kind, on_date, time, recorded_at, fact)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::timestamptz[], $8::timestamptz[], $9::jsonb[])
         ON CONFLICT (position) DO NOTHING`,
        [versions.map((v) => v.position), versions.map((v) => v.key), versions.map((v) => v.streamId), versions.map((v) => v.provider),
          versions.map((v) => v.fact.kind), versions.map((v) => dateOf(v)), versions.map((v) => v.time), versions.map((v) => v.recordedAt),
          versions.map((v) => JSON.stringify(v.fact))],
      );
    }
    if (retractions.length > 0) {
      await this.client.query(
        `INSERT INTO ${s}.retractions (target_key, position, recorded_at)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[]) ON CONFLICT DO NOTHING`,
        [retractions.map((r) => r.targetKey), retractions.map((r) => r.position), retractions.map((r) => r.recordedAt)],
      );
    }
    if (links.length > 0) {
      await this.client.query(
        `INSERT INTO ${s}.links (position, stream_id, person_ref, recorded_at)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[]) ON CONFLICT DO NOTHING`,
        [links.map((l) => l.position), links.map((l) => l.streamId), links.map((l) => l.personRef), links.map((l) => l.recordedAt)],
      );
    }
  }

  async recordArrival(recordedAt: string): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.schema}.arrivals (id, last_recorded_at) VALUES (1, $1)
       ON CONFLICT (id) DO UPDATE SET last_recorded_at = greatest(${this.schema}.arrivals.last_recorded_at, excluded.last_recorded_at)`,
      [recordedAt],
    );
  }

  async lastArrival(): Promise<string | undefined> {
    const { rows } = await this.client.query<{ last_recorded_at: Date }>(`SELECT last_recorded_at FROM ${this.schema}.arrivals WHERE id = 1`);
    return rows[0]?.last_recorded_at.toISOString();
  }

  async retractedAmong(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const { rows } = await this.client.query<{ target_key: string }>(
      `SELECT DISTINCT target_key FROM ${this.schema}.retractions WHERE target_key = ANY($1::text[])`, [keys],
    );
    return new Set(rows.map((r) => r.target_key));
  }

  async currentFacts(keys: readonly string[]): Promise<Map<string, FactVersion>> {
    if (keys.length === 0) return new Map();
    const rows = await this.selectFacts(`record_key = ANY($1::text[])`, [keys]);
    return new Map(rows.map((row) => [row.key, row]));
  }

  async currentFactsOfStreams(streams: readonly string[]): Promise<FactVersion[]> {
    if (streams.length === 0) return [];
    return this.selectFacts(`stream_id = ANY($1::text[])`, [streams]);
  }

  async saveCurrentFacts(versions: readonly FactVersion[]): Promise<void> {
    if (versions.length === 0) return;
    await this.client.query(
      `INSERT INTO ${this.schema}.current_facts (record_key, stream_id, provider, time, recorded_at, position, fact)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bigint[], $7::jsonb[])
       ON CONFLICT (record_key) DO UPDATE SET stream_id = excluded.stream_id, provider = excluded.provider, time = excluded.time,
         recorded_at = excluded.recorded_at, position = excluded.position, fact = excluded.fact`,
      [versions.map((v) => v.key), versions.map((v) => v.streamId), versions.map((v) => v.provider), versions.map((v) => v.time),
        versions.map((v) => v.recordedAt), versions.map((v) => v.position), versions.map((v) => JSON.stringify(v.fact))],
    );
  }

  /** Removes retracted records; returns the streams they were on. */
  async removeCurrentFacts(keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const { rows } = await this.client.query<{ stream_id: string }>(
      `DELETE FROM ${this.schema}.current_facts WHERE record_key = ANY($1::text[]) RETURNING stream_id`, [keys],
    );
    return rows.map((r) => r.stream_id);
  }

  async personsOfStreams(streams: readonly string[]): Promise<Map<string, string>> {
    if (streams.length === 0) return new Map();
    const { rows } = await this.client.query<{ stream_id: string; person_ref: string }>(
      `SELECT stream_id, person_ref FROM ${this.schema}.subjects WHERE stream_id = ANY($1::text[])`, [streams],
    );
    return new Map(rows.map((r) => [r.stream_id, r.person_ref]));
  }

  /** stream -> person for every stream linked to one of the people. */
  async streamsOfPersons(persons: readonly string[]): Promise<[string, string][]> {
    if (persons.length === 0) return [];
    const { rows } = await this.client.query<{ stream_id: string; person_ref: string }>(
      `SELECT stream_id, person_ref FROM ${this.schema}.subjects WHERE person_ref = ANY($1::text[])`, [persons],
    );
    return rows.map((r) => [r.stream_id, r.person_ref]);
  }

  /** Links each stream to its person (one entry per stream: its latest link). */
  async assign(links: readonly { streamId: string; personRef: string }[]): Promise<void> {
    if (links.length === 0) return;
    await this.client.query(
      `INSERT INTO ${this.schema}.subjects (stream_id, person_ref) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (stream_id) DO UPDATE SET person_ref = excluded.person_ref`,
      [links.map((l) => l.streamId), links.map((l) => l.personRef)],
    );
  }

  async releasesOfStreams(streams: readonly string[], keys: readonly string[]): Promise<ReleaseRow[]> {
    if (streams.length === 0 && keys.length === 0) return [];
    const { rows } = await this.client.query<ReleaseRecord>(
      `SELECT ${releaseColumns} FROM ${this.schema}.releases WHERE stream_id = ANY($1::text[]) OR record_key = ANY($2::text[])`, [streams, keys],
    );
    return rows.map(fromRecord);
  }

  /** Replaces the judged releases of the streams (`before`: their rows until now) and moves the daily counts by the difference. */
  async replaceReleases(before: readonly ReleaseRow[], after: readonly ReleaseRow[]): Promise<void> {
    const s = this.schema;
    const deltas = new Map<string, DailyDelta>();
    const count = (row: ReleaseRow, sign: 1 | -1) => {
      if (!row.inCohort || row.outcome === null) return;
      const key: DailyKey = { releasedOn: row.releasedOn, provider: row.provider, prisonId: row.prisonId, localAuthority: row.localAuthority, substanceGroup: row.substanceGroup ?? '' };
      const id = JSON.stringify(key);
      const delta = deltas.get(id) ?? { ...key, released: 0, engaged: 0, excluded: 0, open: 0 };
      delta.released += sign;
      delta[row.outcome] += sign;
      deltas.set(id, delta);
    };
    const afterKeys = new Set(after.map((r) => r.recordKey));
    const beforeByKey = new Map(before.map((r) => [r.recordKey, r]));
    const changed = after.filter((row) => !sameRow(beforeByKey.get(row.recordKey), row));
    const removed = before.filter((row) => !afterKeys.has(row.recordKey));
    for (const row of [...removed, ...changed.map((r) => beforeByKey.get(r.recordKey)).filter((r): r is ReleaseRow => r !== undefined)]) count(row, -1);
    for (const row of changed) count(row, 1);
    if (removed.length > 0) {
      await this.client.query(`DELETE FROM ${s}.releases WHERE record_key = ANY($1::text[])`, [removed.map((r) => r.recordKey)]);
    }
    if (changed.length > 0) {
      const column = <K extends keyof ReleaseRow>(k: K) => changed.map((r) => r[k]);
      await this.client.query(
        `INSERT INTO ${s}.releases (record_key, stream_id, provider, person_ref, released_on, prison_id, local_authority, substance_group,
           referral_provider_id, referred_on, in_cohort, reason, outcome, decided_on, window_ends_on)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::text[], $8::text[],
           $9::text[], $10::date[], $11::boolean[], $12::text[], $13::text[], $14::date[], $15::date[])
         ON CONFLICT (record_key) DO UPDATE SET stream_id = excluded.stream_id, provider = excluded.provider, person_ref = excluded.person_ref,
           released_on = excluded.released_on, prison_id = excluded.prison_id, local_authority = excluded.local_authority,
           substance_group = excluded.substance_group, referral_provider_id = excluded.referral_provider_id, referred_on = excluded.referred_on,
           in_cohort = excluded.in_cohort, reason = excluded.reason, outcome = excluded.outcome, decided_on = excluded.decided_on,
           window_ends_on = excluded.window_ends_on`,
        [column('recordKey'), column('streamId'), column('provider'), column('personRef'), column('releasedOn'), column('prisonId'),
          column('localAuthority'), column('substanceGroup'), column('referralProviderId'), column('referredOn'), column('inCohort'),
          column('reason'), column('outcome'), column('decidedOn'), column('windowEndsOn')],
      );
    }
    const moves = [...deltas.values()].filter((d) => d.released !== 0 || d.engaged !== 0 || d.excluded !== 0 || d.open !== 0);
    if (moves.length === 0) return;
    const col = <K extends keyof DailyDelta>(k: K) => moves.map((d) => d[k]);
    await this.client.query(
      `INSERT INTO ${s}.daily_cohort AS d (released_on, provider, prison_id, local_authority, substance_group, released, engaged, excluded, open)
       SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::int[])
       ON CONFLICT (released_on, provider, prison_id, local_authority, substance_group) DO UPDATE SET
         released = d.released + excluded.released, engaged = d.engaged + excluded.engaged,
         excluded = d.excluded + excluded.excluded, open = d.open + excluded.open`,
      [col('releasedOn'), col('provider'), col('prisonId'), col('localAuthority'), col('substanceGroup'), col('released'), col('engaged'), col('excluded'), col('open')],
    );
    // Only the rows just moved can have emptied.
    await this.client.query(
      `DELETE FROM ${s}.daily_cohort WHERE released = 0 AND (released_on, provider, prison_id, local_authority, substance_group) IN
         (SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[]))`,
      [col('releasedOn'), col('provider'), col('prisonId'), col('localAuthority'), col('substanceGroup')],
    );
  }

  private async selectFacts(where: string, params: unknown[]): Promise<FactVersion[]> {
    const { rows } = await this.client.query<{ record_key: string; stream_id: string; provider: string; time: Date; recorded_at: Date; position: string; fact: FactVersion['fact'] }>(
      `SELECT record_key, stream_id, provider, time, recorded_at, position, fact FROM ${this.schema}.current_facts WHERE ${where}`, params,
    );
    return rows.map((r) => ({
      key: r.record_key, streamId: r.stream_id, provider: r.provider, time: r.time.toISOString(),
      recordedAt: r.recorded_at.toISOString(), position: Number(r.position), fact: r.fact,
    }));
  }
}

function dateOf(version: FactVersion): LocalDate {
  const fact = version.fact;
  switch (fact.kind) {
    case 'release': return fact.releasedOn;
    case 'reception': return fact.receivedOn;
    case 'treatment-started': return fact.startedOn;
    case 'treatment-discharged': return fact.dischargedOn;
    case 'death-report': return fact.diedOn;
  }
}

function sameRow(a: ReleaseRow | undefined, b: ReleaseRow): boolean {
  return a !== undefined && (Object.keys(b) as (keyof ReleaseRow)[]).every((k) => a[k] === b[k]);
}

/** The releases table's columns, dates as ISO text. */
export const releaseColumns = `record_key, stream_id, provider, person_ref, released_on::text AS released_on, prison_id, local_authority,
  substance_group, referral_provider_id, referred_on::text AS referred_on, in_cohort, reason, outcome, decided_on::text AS decided_on,
  window_ends_on::text AS window_ends_on`;

export interface ReleaseRecord {
  record_key: string; stream_id: string; provider: string; person_ref: string | null; released_on: string; prison_id: string;
  local_authority: string; substance_group: string | null; referral_provider_id: string | null; referred_on: string | null;
  in_cohort: boolean; reason: string | null; outcome: ReleaseRow['outcome']; decided_on: string | null; window_ends_on: string;
}

export function fromRecord(r: ReleaseRecord): ReleaseRow {
  return {
    recordKey: r.record_key, streamId: r.stream_id, provider: r.provider, personRef: r.person_ref, releasedOn: r.released_on,
    prisonId: r.prison_id, localAuthority: r.local_authority, substanceGroup: r.substance_group, referralProviderId: r.referral_provider_id,
    referredOn: r.referred_on, inCohort: r.in_cohort, reason: r.reason, outcome: r.outcome, decidedOn: r.decided_on, windowEndsOn: r.window_ends_on,
  };
}
