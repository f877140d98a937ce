import type { AccessDecision, AccessGranted } from './policy';
import { alwaysDisclosedFields, fieldsOfType, type ProjectionField } from './projection-fields';

/**
 * The fields a grant lets the recipient see on a row built from `decision.eventType`.
 * Default (the clause lists no `fields`): every field of that type, person block included.
 * With `fields`: only those listed that the type carries. `personRef` always.
 */
export function grantedFields(decision: AccessGranted): readonly ProjectionField[] {
  const ofType = fieldsOfType(decision.eventType);
  const granted = decision.fields === 'all' ? ofType : ofType.filter((f) => decision.fields.includes(f));
  return [...alwaysDisclosedFields, ...granted];
}

/**
 * Keeps only the granted fields of a person-level row. Returns null when nothing may be
 * disclosed: access denied, or the grant is aggregate-only. Keys outside the projection
 * field vocabulary are dropped. A row combining several types is redacted once per source
 * decision and the parts merged.
 */
export function redact<Row extends Readonly<Record<string, unknown>>>(
  row: Row, decision: AccessDecision,
): Partial<Row> | null {
  if (!decision.allowed || !decision.personLevel) return null;
  const granted = new Set<string>(grantedFields(decision));
  const kept: Partial<Row> = {};
  for (const key of Object.keys(row) as (keyof Row & string)[]) {
    if (granted.has(key)) kept[key] = row[key];
  }
  return kept;
}
