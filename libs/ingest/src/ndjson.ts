import type { IngestInput } from './ingest-outcome';

/** One NDJSON line as an ingest input; blank lines are not events and are skipped by the caller. */
export function parseNdjsonLine(line: string): IngestInput {
  try {
    return { kind: 'parsed', value: JSON.parse(line) as unknown };
  } catch (error) {
    return { kind: 'unparseable', error: (error as Error).message };
  }
}
