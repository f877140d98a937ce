/** Rejection codes of SPEC section 1: stable, one per rejection. */
export const rejectionCodes = [
  'SCHEMA_INVALID', 'UNKNOWN_TYPE', 'UNKNOWN_SOURCE', 'NOT_PERMITTED', 'SOURCE_MISMATCH', 'ID_REUSED',
] as const;
export type RejectionCode = (typeof rejectionCodes)[number];

export interface Rejection {
  readonly code: RejectionCode;
  /** A human message naming the field (a JSON pointer) and the value. */
  readonly message: string;
  /** The JSON pointer of the offending field, e.g. `/data/person/nhsNumber`. */
  readonly pointer?: string;
}

/** Renders a value for a message: short, JSON-quoted, never the whole payload. */
export function describeValue(value: unknown, maxLength = 80): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
