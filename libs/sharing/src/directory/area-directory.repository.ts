import type { Queryable } from '@hub/database';
import { type EventStore, logStart, type Checkpoint } from '@hub/event-store';
import { type AreaDirectory, emptyDirectory, evolveDirectory } from './area-directory';
import { directoryStoreTypeList, fromStored } from './hub-directory-events';

/**
 * The directory, folded from the hub's directory events in the store, kept in memory.
 *
 * With the database (the hub's runtime), each `current()` compares a fingerprint of the committed
 * directory events (how many, the newest position) with the one folded, and refolds from every
 * committed directory event when it changed. Each area and agreement is its own stream, so folding
 * each stream in stream order is exact; and unlike a gap-free log read it never lags behind a
 * commit because some unrelated transaction (on any database of the server) is still open: an
 * ingest right after `hub init` sees the area.
 * Without it, it follows the log gap-free from where it last read.
 */
export class AreaDirectoryRepository {
  private directory: AreaDirectory = emptyDirectory;
  private checkpoint: Checkpoint = logStart;
  private fingerprint = '';

  constructor(private readonly store: EventStore, private readonly database?: Queryable) {}

  async current(): Promise<AreaDirectory> {
    return this.database ? this.committed(this.database) : this.followLog();
  }

  private async committed(database: Queryable): Promise<AreaDirectory> {
    const { rows: [mark] } = await database.query<{ n: string; last: string | null }>(
      'SELECT count(*) AS n, max(global_position) AS last FROM event_store.events WHERE type = ANY($1::text[])', [directoryStoreTypeList],
    );
    const fingerprint = `${mark!.n}/${mark!.last ?? 0}`;
    if (fingerprint === this.fingerprint) return this.directory;
    const { rows } = await database.query<{ stream_id: string; stream_position: number; type: string; data: unknown }>(
      `SELECT stream_id, stream_position, type, data FROM event_store.events WHERE type = ANY($1::text[])
       ORDER BY stream_id, stream_position`,
      [directoryStoreTypeList],
    );
    let directory = emptyDirectory;
    for (const row of rows) {
      const event = fromStored(row);
      if (event) directory = evolveDirectory(directory, event, { id: row.stream_id, position: row.stream_position });
    }
    // Only adopt what was read if nothing moved meanwhile past what the fingerprint promised.
    this.directory = directory;
    this.fingerprint = rows.length === Number(mark!.n) ? fingerprint : '';
    return directory;
  }

  private async followLog(): Promise<AreaDirectory> {
    for (;;) {
      const page = await this.store.readAll(this.checkpoint, { types: directoryStoreTypeList, limit: 500 });
      for (const stored of page.events) {
        const event = fromStored(stored);
        if (event) this.directory = evolveDirectory(this.directory, event, { id: stored.streamId, position: stored.streamPosition });
      }
      this.checkpoint = page.next;
      if (page.events.length < 500) return this.directory;
    }
  }
}
