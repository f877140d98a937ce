/** What PostgreSQL cannot hold in text or jsonb: U+0000, and UTF-16 surrogates without their pair. */
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface UnstorableText {
  /** JSON pointer of the string (value or member name). */
  readonly pointer: string;
  readonly problem: string;
}

/**
 * The first string (value or member name) PostgreSQL could not store; undefined when there is
 * none. Such an event must be rejected before it reaches the database, or it fails there (the
 * whole batch) and, on Kafka, would stall its partition for good.
 */
export function findUnstorableText(value: unknown): UnstorableText | undefined {
  // Almost every event has none: look without building pointers, then find where it is.
  return hasUnstorableText(value) ? locate(value, '') : undefined;
}

function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return unstorable.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  for (const name in value) {
    if (Object.hasOwn(value, name) && (unstorable.test(name) || hasUnstorableText((value as Record<string, unknown>)[name]))) return true;
  }
  return false;
}

function locate(value: unknown, pointer: string): UnstorableText | undefined {
  if (typeof value === 'string') return problemOf(value, pointer);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = locate(value[index], `${pointer}/${index}`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [name, member] of Object.entries(value)) {
      const at = `${pointer}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const inName = problemOf(name, at);
      if (inName) return { ...inName, pointer: JSON.stringify(at).slice(1, -1) };
      const found = locate(member, at);
      if (found) return found;
    }
  }
  return undefined;
}

function problemOf(text: string, pointer: string): UnstorableText | undefined {
  const match = unstorable.exec(text);
  if (!match) return undefined;
  return { pointer, problem: match[0] === '\u0000' ? 'contains the character U+0000' : 'contains an unpaired UTF-16 surrogate (not valid Unicode)' };
}
