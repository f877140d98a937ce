import type { Queryable } from '@hub/database';
import { type Checkpoint, readLog, type ReadOptions, type ReadPage } from '@hub/event-store';

/**
 * Starts reading the next page of the log while the current one is applied (a rebuild's read-ahead).
 * A failed read is reported where the page is awaited, never as an unhandled rejection in the
 * meantime (applying the current page may fail first, and the page is then never awaited).
 */
export function readAhead(queryable: Queryable, after: Checkpoint, options: ReadOptions): Promise<ReadPage> {
  const page = readLog(queryable, after, options);
  page.catch(() => undefined);
  return page;
}
