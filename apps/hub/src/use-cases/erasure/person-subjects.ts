import type { Queryable } from '@hub/database';

export const subjectAssignedType = 'hub.identity.subject-assigned.v1';

/** Where each agency subject stream once assigned to a person belongs now. */
export interface SubjectOwnership {
  /** Streams whose latest assignment is this person. */
  readonly current: readonly string[];
  /** Streams once assigned to this person and since moved to another (merge or correction), with their person now. */
  readonly movedTo: ReadonlyMap<string, string>;
}

/**
 * From the identity processor's `hub.identity.subject-assigned.v1` events (`{ subjectStream,
 * personRef }`): every stream ever assigned to the person, with its latest assignment in log order.
 * Reads what is committed now (not the gap-free subscriber read, which may lag behind a commit
 * while an unrelated transaction is open): an assignment committed after this read is not seen,
 * and a second erasure then covers it.
 */
export async function subjectsOfPerson(database: Queryable, personRef: string): Promise<SubjectOwnership> {
  const { rows } = await database.query<{ stream: string; person: string }>(
    `SELECT DISTINCT ON (data->>'subjectStream') data->>'subjectStream' AS stream, data->>'personRef' AS person
     FROM event_store.events
     WHERE type = $1 AND data->>'subjectStream' IN (
       SELECT data->>'subjectStream' FROM event_store.events WHERE type = $1 AND data->>'personRef' = $2)
     ORDER BY data->>'subjectStream', transaction_id DESC, global_position DESC`,
    [subjectAssignedType, personRef],
  );
  return {
    current: rows.filter((row) => row.person === personRef).map((row) => row.stream).sort(),
    movedTo: new Map(rows.filter((row) => row.person !== personRef).map((row) => [row.stream, row.person])),
  };
}
