import { prepared, type Queryable } from '@hub/database';
import type { PersonsMergedData, SubjectAssignedData } from '../identity.events';
import type { SubjectLink, SubjectMembership } from '../linking/person-partition.decider';
import type { BlockingKey, LinkRuleName } from '../matching/linking.rules';
import { subjectsCountKey } from './identity-tables';
import { exactRule, type KeyRow } from './record-index';

/** A subject's person, why, and the person's place in creation order (for `identity explain`). */
export interface SubjectRow {
  readonly subjectStream: string;
  readonly personRef: string;
  readonly reason: string;
  readonly evidence: unknown;
}

export type IdentityDecision = { type: 'assigned'; data: SubjectAssignedData } | { type: 'merged'; data: PersonsMergedData };

/** The persons side of the identity tables: subjects' persons, persons' creation order and merges. */
export class PersonStore {
  constructor(private readonly client: Queryable, private readonly schema: string) {}

  /**
   * The linked closure of some subjects: every subject reachable through links (exact rules' keys
   * and linked pairs), and every subject of the persons any of them belongs to now (so a link
   * undone splits the person), with the links among them and the persons' creation order. One
   * round trip per level of the graph, for all the subjects at once.
   */
  async closure(starts: readonly string[], decide: (a: BlockingKey, b: BlockingKey) => LinkRuleName | undefined): Promise<{ subjects: SubjectMembership[]; links: SubjectLink[]; personOrder: Map<string, number> }> {
    const s = this.schema;
    const membership = new Map<string, string | null>();
    const links = new Map<string, SubjectLink>();
    const personOrder = new Map<string, number>();
    let frontier = [...new Set(starts)];
    while (frontier.length > 0) {
      for (const stream of frontier) if (!membership.has(stream)) membership.set(stream, null);
      // The frontier's exact keys, the subjects sharing them (by the key index), its linked pairs, and
      // every subject of the persons of all these (a superset of the persons the links below reach:
      // a subject sharing a key may not be linked by it), with the persons' creation order.
      const { rows: [found] } = await this.client.query<{
        own: KeyRow[] | null; sharing: KeyRow[] | null; pairs: { a: string; b: string; decided_by: string }[] | null; members: { stream_id: string; person_ref: string; seq: string }[] | null;
      }>(
        prepared(`WITH own AS (SELECT stream_id, key, qualifier, rule FROM ${s}.identity_keys
           WHERE stream_id = ANY($1::text[]) AND ${exactRule()}),
         sharing AS (SELECT stream_id, key, qualifier, rule FROM ${s}.identity_keys WHERE key = ANY(ARRAY(SELECT key FROM own))),
         pairs AS (SELECT a, b, decided_by FROM ${s}.identity_pairs WHERE a = ANY($1::text[]) AND status = 'linked'
           UNION SELECT a, b, decided_by FROM ${s}.identity_pairs WHERE b = ANY($1::text[]) AND status = 'linked'),
         touched AS (SELECT unnest($1::text[]) AS stream_id UNION SELECT stream_id FROM sharing UNION SELECT a FROM pairs UNION SELECT b FROM pairs)
         SELECT (SELECT json_agg(own) FROM own) AS own, (SELECT json_agg(sharing) FROM sharing) AS sharing, (SELECT json_agg(pairs) FROM pairs) AS pairs,
           (SELECT json_agg(m) FROM (SELECT s.stream_id, s.person_ref, p.seq FROM ${s}.identity_subjects s JOIN ${s}.identity_persons p ON p.person_ref = s.person_ref
              WHERE s.person_ref = ANY(ARRAY(SELECT DISTINCT person_ref FROM ${s}.identity_subjects WHERE stream_id IN (SELECT stream_id FROM touched)))) m) AS members`),
        [frontier],
      );
      const holders = new Map<string, KeyRow[]>();
      for (const row of found?.sharing ?? []) holders.set(row.key, [...(holders.get(row.key) ?? []), row]);
      const reached = new Set<string>();
      for (const mine of found?.own ?? []) {
        for (const other of holders.get(mine.key) ?? []) {
          if (other.stream_id === mine.stream_id) continue;
          const rule = decide({ rule: mine.rule, key: mine.key, qualifier: mine.qualifier }, { rule: other.rule, key: other.key, qualifier: other.qualifier });
          if (!rule) continue;
          const [a, b] = mine.stream_id < other.stream_id ? [mine.stream_id, other.stream_id] : [other.stream_id, mine.stream_id];
          links.set(`${a}\u001f${b}\u001f${rule}`, { a, b, rule });
          reached.add(other.stream_id);
        }
      }
      for (const pair of found?.pairs ?? []) {
        const rule: LinkRuleName = pair.decided_by === 'reviewer' ? 'reviewer-linked' : 'probable-match';
        links.set(`${pair.a}\u001f${pair.b}\u001f${rule}`, { a: pair.a, b: pair.b, rule });
        reached.add(pair.a).add(pair.b);
      }
      // Every subject of the persons of the frontier and the subjects reached, and those persons' creation order.
      const members = found?.members ?? [];
      const personOf = new Map(members.map((row) => [row.stream_id, row.person_ref]));
      const persons = new Set([...frontier, ...reached].flatMap((stream) => personOf.get(stream) ?? []));
      for (const row of members) {
        if (!persons.has(row.person_ref)) continue;
        reached.add(row.stream_id);
        personOrder.set(row.person_ref, Number(row.seq));
      }
      const next = [...reached].filter((stream) => !membership.has(stream));
      for (const stream of [...frontier, ...next]) membership.set(stream, personOf.get(stream) ?? null);
      frontier = next;
    }
    // Subjects reached only as members of a person were expanded too, so every link among them is known.
    return { subjects: [...membership].map(([subjectStream, personRef]) => ({ subjectStream, personRef })), links: [...links.values()], personOrder };
  }

  /**
   * Records decided or replayed identity events, in log order: a person is created by its first
   * subject (creation order decides survivors), a subject's last assignment wins. Persons and
   * assignments in one statement (which also counts the subjects new to a person), merges in another.
   */
  async record(events: readonly IdentityDecision[]): Promise<void> {
    const assignments = new Map<string, SubjectAssignedData>();
    const created: string[] = [];
    const merged = new Map<string, string>();
    for (const event of events) {
      if (event.type === 'merged') {
        merged.set(event.data.mergedPersonRef, event.data.survivingPersonRef);
        continue;
      }
      assignments.delete(event.data.subjectStream);
      assignments.set(event.data.subjectStream, event.data);
      if (!created.includes(event.data.personRef)) created.push(event.data.personRef);
    }
    const s = this.schema;
    if (created.length > 0) {
      const rows = [...assignments.values()];
      await this.client.query(
        prepared(`WITH created AS (
           INSERT INTO ${s}.identity_persons (person_ref) SELECT ref FROM unnest($1::text[]) WITH ORDINALITY AS n(ref, i) ORDER BY i ON CONFLICT DO NOTHING),
         assigned AS (
           INSERT INTO ${s}.identity_subjects (stream_id, person_ref, reason, evidence)
           SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[])
           ON CONFLICT (stream_id) DO UPDATE SET person_ref = excluded.person_ref, reason = excluded.reason, evidence = excluded.evidence
           RETURNING (xmax = 0) AS inserted)
         INSERT INTO ${s}.identity_key_counts AS c (key, n) SELECT $6, count(*) FROM assigned WHERE inserted HAVING count(*) > 0
         ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n`),
        [created, rows.map((r) => r.subjectStream), rows.map((r) => r.personRef), rows.map((r) => r.reason), rows.map((r) => JSON.stringify(r.evidence)), subjectsCountKey],
      );
    }
    if (merged.size > 0) {
      await this.client.query(
        prepared(`UPDATE ${s}.identity_persons p SET merged_into = m.survivor FROM unnest($1::text[], $2::text[]) AS m(merged, survivor) WHERE p.person_ref = m.merged`),
        [[...merged.keys()], [...merged.values()]],
      );
    }
  }

  async subjectsOf(personRef: string): Promise<SubjectRow[]> {
    const { rows } = await this.client.query<{ stream_id: string; person_ref: string; reason: string; evidence: unknown }>(
      `SELECT stream_id, person_ref, reason, evidence FROM ${this.schema}.identity_subjects WHERE person_ref = $1 ORDER BY stream_id`, [personRef],
    );
    return rows.map((r) => ({ subjectStream: r.stream_id, personRef: r.person_ref, reason: r.reason, evidence: r.evidence }));
  }

  async mergedInto(personRef: string): Promise<{ known: boolean; mergedInto: string | null }> {
    const { rows } = await this.client.query<{ merged_into: string | null }>(
      `SELECT merged_into FROM ${this.schema}.identity_persons WHERE person_ref = $1`, [personRef],
    );
    return { known: rows.length > 0, mergedInto: rows[0]?.merged_into ?? null };
  }
}
