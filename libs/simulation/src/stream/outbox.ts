import type { AgencyView } from '../identity/agency-view';

/**
 * A record an agency will publish at `timeMs`. The CloudEvent envelope (and its id) is built only
 * when the record leaves the merge, so the events waiting in memory stay small.
 */
export interface PendingRecord {
  readonly timeMs: number;
  readonly seq: number;
  readonly view: AgencyView;
  readonly type: string;
  readonly recordId: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** One person's records waiting for their time; small (a handful), so a sorted array is enough. */
export class Outbox {
  private readonly pending: PendingRecord[] = [];
  private nextSeq = 0;

  constructor(private readonly windowEndMs: number) {}

  /** Records timed at or after the window's end are not part of this run: dropped, and false returned. */
  push(record: Omit<PendingRecord, 'seq'>): boolean {
    if (record.timeMs >= this.windowEndMs) return false;
    const entry: PendingRecord = {
      timeMs: record.timeMs, seq: this.nextSeq++, view: record.view, type: record.type, recordId: record.recordId, fields: record.fields,
    };
    let at = this.pending.length;
    while (at > 0 && this.pending[at - 1]!.timeMs > entry.timeMs) at--;
    this.pending.splice(at, 0, entry);
    return true;
  }

  peek(): PendingRecord | undefined {
    return this.pending[0];
  }

  shift(): PendingRecord | undefined {
    return this.pending.shift();
  }
}
