import type { Queryable } from '@hub/database';
import { DomainError } from '@hub/kernel';
import { readEntry } from '@hub/projections';
import type { PairComparison } from './identity.events';
import { IdentityStore, type PairRow } from './store/identity-store';

/** One subject of a person in `hub identity explain`: the agency and its pseudonymous stream, never the identifier. */
export interface ExplainedSubject {
  readonly agency: string;
  readonly subjectStream: string;
  readonly reason: string;
  readonly evidence: unknown;
}

export interface PersonExplanation {
  readonly personRef: string;
  /** When the person was merged into an older one: its survivor (whose subjects are listed). */
  readonly mergedInto: string | null;
  readonly subjects: readonly ExplainedSubject[];
  /** Pairs of its subjects the probabilistic model or a reviewer decided: the weights behind a `probable-match` or `reviewer-linked`. */
  readonly pairs: readonly PresentedPair[];
}

/**
 * A scored pair as the review queue and `explain` show it: pseudonymous subject streams and their
 * persons, the comparison levels and weights, never a name, date of birth or identifier.
 */
export interface PresentedPair {
  readonly pairId: string;
  readonly status: 'linked' | 'review' | 'apart';
  readonly decidedBy: string;
  readonly subjects: readonly { readonly agency: string; readonly subjectStream: string; readonly personRef: string | null }[];
  readonly matchWeight: number | null;
  readonly matchProbability: number | null;
  readonly comparisons: readonly PairComparison[];
  readonly conflicts: readonly string[];
}

const identityProjection = 'identity';

/** Reads of the identity processor's tables (its live generation). */
export class IdentityQueries {
  constructor(private readonly queryable: Queryable) {}

  /** The person a subject stream belongs to now, or undefined when it is not linked yet. */
  async personOfSubject(subjectStream: string): Promise<string | undefined> {
    const schema = await this.schema();
    if (!schema) return undefined;
    const { rows } = await this.queryable.query<{ person_ref: string }>(
      `SELECT person_ref FROM ${schema}.identity_subjects WHERE stream_id = $1`, [subjectStream],
    );
    return rows[0]?.person_ref;
  }

  /** The people (now) whose subjects carry this blocking key (`identifierKeyOf`): subject access looks people up by identifier. */
  async personsWithKey(key: string): Promise<string[]> {
    const schema = await this.schema();
    if (!schema) return [];
    const { rows } = await this.queryable.query<{ person_ref: string }>(
      `SELECT DISTINCT s.person_ref FROM ${schema}.identity_keys k JOIN ${schema}.identity_subjects s USING (stream_id) WHERE k.key = $1 ORDER BY 1`, [key],
    );
    return rows.map((r) => r.person_ref);
  }

  /** The subjects of a person and which rule linked each; a merged person is explained by its survivor. */
  async explain(personRef: string): Promise<PersonExplanation> {
    const schema = await this.schema();
    const store = schema ? new IdentityStore(this.queryable, schema) : undefined;
    const known = store ? await store.persons.mergedInto(personRef) : { known: false, mergedInto: null };
    if (!store || !known.known) throw new DomainError('IDENTITY.PERSON_NOT_FOUND', `personRef: no person ${JSON.stringify(personRef)}`);
    let current = personRef;
    for (let hops = 0, next = known.mergedInto; next && hops < 100; hops++) {
      current = next;
      next = (await store.persons.mergedInto(current)).mergedInto;
    }
    const subjects = await store.persons.subjectsOf(current);
    const pairs = await store.pairs.pairsOf(subjects.map((s) => s.subjectStream));
    return {
      personRef, mergedInto: current === personRef ? null : current,
      subjects: subjects.map((s) => ({ agency: agencyOf(s.subjectStream), subjectStream: s.subjectStream, reason: s.reason, evidence: s.evidence })),
      pairs: await this.present(schema!, pairs.sort((a, b) => (a.pairId < b.pairId ? -1 : 1))),
    };
  }

  /** The clerical review queue: pairs between the thresholds (or above with conflicting NHS numbers), strongest first. */
  async reviewQueue(): Promise<PresentedPair[]> {
    const schema = await this.schema();
    if (!schema) return [];
    return this.present(schema, await new IdentityStore(this.queryable, schema).pairs.reviewQueue());
  }

  /** One scored pair, or undefined. */
  async pair(pairId: string): Promise<PairRow | undefined> {
    const schema = await this.schema();
    return schema ? new IdentityStore(this.queryable, schema).pairs.pair(pairId) : undefined;
  }

  private async present(schema: string, pairs: readonly PairRow[]): Promise<PresentedPair[]> {
    const streams = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
    const { rows } = streams.length === 0 ? { rows: [] } : await this.queryable.query<{ stream_id: string; person_ref: string }>(
      `SELECT stream_id, person_ref FROM ${schema}.identity_subjects WHERE stream_id = ANY($1::text[])`, [streams],
    );
    const personOf = new Map(rows.map((r) => [r.stream_id, r.person_ref]));
    return pairs.map((pair) => {
      const data = pair.data as { matchProbability?: number; comparisons?: PairComparison[]; conflicts?: string[] };
      return {
        pairId: pair.pairId, status: pair.status, decidedBy: pair.decidedBy,
        subjects: [pair.a, pair.b].map((stream) => ({ agency: agencyOf(stream), subjectStream: stream, personRef: personOf.get(stream) ?? null })),
        matchWeight: pair.matchWeight, matchProbability: data.matchProbability ?? null, comparisons: data.comparisons ?? [], conflicts: data.conflicts ?? [],
      };
    });
  }

  private async schema(): Promise<string | undefined> {
    return (await readEntry(this.queryable, identityProjection))?.activeSchema;
  }
}

function agencyOf(subjectStream: string): string {
  return subjectStream.slice(0, subjectStream.indexOf(':'));
}
