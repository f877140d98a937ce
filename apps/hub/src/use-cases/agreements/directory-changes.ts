import type { PoolClient } from 'pg';
import type { AppendOutcome, AppendRequest } from '@hub/event-store';
import { Outbox } from '@hub/outbox';
import { type AreaDirectory, type DirectoryChange, hubSource, toStoreType } from '@hub/sharing';
import { agreementChangeNotices, type AppendedDirectoryEvent } from '../init-area/agreement-change-notices';

/**
 * Records directory changes (area and agreement events) and, in the same transaction, the
 * `hub.agreement.changed.v1` notices to every party through the outbox. `eventIdOf` names each
 * event (random for commands, deterministic for the clock's expiries so a re-run is a duplicate).
 * Returns how many events were newly appended.
 */
export async function recordDirectoryChanges(
  client: PoolClient,
  append: (requests: readonly AppendRequest[]) => Promise<readonly AppendOutcome[]>,
  change: { before: AreaDirectory; changes: readonly DirectoryChange[]; areaId: string; at: string; by: string; eventIdOf: (streamId: string, index: number) => string },
): Promise<number> {
  const appended = change.changes.map((c) => c.events.map((event, i): AppendedDirectoryEvent => ({ eventId: change.eventIdOf(c.streamId, i), event })));
  if (appended.flat().length === 0) return 0;
  const outcomes = await append(change.changes.map((c, n) => ({
    streamId: c.streamId,
    expectedVersion: c.expectedVersion,
    events: appended[n]!.map(({ eventId, event }) => ({
      eventId, type: toStoreType(event), source: hubSource, subject: null, occurredAt: change.at, data: event.data, metadata: { by: change.by },
    })),
  })));
  const fresh = new Set(outcomes.filter((o) => o.status === 'appended').map((o) => o.eventId));
  const notices = agreementChangeNotices(change.before, appended.flat().filter((a) => fresh.has(a.eventId)), change.areaId, change.at);
  await Outbox.enqueueAll(client, notices);
  return fresh.size;
}
