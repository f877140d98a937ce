import type { Queryable } from '@hub/database';
import type { StoredEvent } from '@hub/event-store';
import { agencyIdOfSource, isRealDate, isRetractionEventType, type LocalDate } from '@hub/kernel';
import { supersedes } from './continuity-facts';

/**
 * SPEC section 5: a release without a date of birth takes the age from a linked record's. The
 * projection never stores a date of birth: it reads the linked subjects' events from the log and
 * opens them (`vault.reveal`) only when a release needs it.
 */
export interface LinkedBirthDates {
  /** The date of birth on the current records of these subject streams (that had arrived by `asOf`), if any. */
  of(streams: readonly string[], asOf?: string): Promise<LocalDate | undefined>;
}

/**
 * The date of birth the streams' current records give: superseded and retracted versions count for
 * nothing; where records disagree, the one published last (by `time`, then arrival) is taken.
 */
export function birthDateOfRecords(events: readonly StoredEvent[], asOf?: string): LocalDate | undefined {
  // `recordedAt` may come from the driver as a Date: compare instants, never strings.
  const arrived = events.filter((e) => asOf === undefined || new Date(e.recordedAt).getTime() <= Date.parse(asOf));
  const keyOf = (provider: string, type: string, recordId: unknown) => `${provider}|${type}|${String(recordId)}`;
  const retracted = new Set(arrived.filter((e) => isRetractionEventType(e.type))
    .map((e) => keyOf(agencyIdOfSource(e.source) ?? '', String(e.data.retractedType), e.data.retractedRecordId)));
  const current = new Map<string, { time: string; position: number; dateOfBirth: unknown }>();
  for (const event of arrived) {
    if (isRetractionEventType(event.type) || typeof event.data.recordId !== 'string') continue;
    const key = keyOf(agencyIdOfSource(event.source) ?? '', event.type, event.data.recordId);
    if (retracted.has(key)) continue;
    const version = { time: event.occurredAt, position: event.globalPosition, dateOfBirth: (event.data.person as { dateOfBirth?: unknown } | undefined)?.dateOfBirth };
    const existing = current.get(key);
    if (!existing || supersedes(version, existing)) current.set(key, version);
  }
  const withBirthDate = [...current.values()].filter((v) => typeof v.dateOfBirth === 'string' && isRealDate(v.dateOfBirth));
  const latest = withBirthDate.reduce<(typeof withBirthDate)[number] | undefined>((a, b) => (a === undefined || supersedes(b, a) ? b : a), undefined);
  return latest?.dateOfBirth as LocalDate | undefined;
}

/** Reads the streams from the log and opens their sealed fields in the caller's transaction. */
export class StoreLinkedBirthDates implements LinkedBirthDates {
  constructor(
    private readonly store: { readStream(streamId: string): Promise<readonly StoredEvent[]> },
    private readonly vault: { reveal(events: readonly StoredEvent[], client: Queryable): Promise<readonly StoredEvent[]> },
    private readonly client: Queryable,
  ) {}

  async of(streams: readonly string[], asOf?: string): Promise<LocalDate | undefined> {
    const events = (await Promise.all(streams.map((s) => this.store.readStream(s)))).flat();
    if (events.length === 0) return undefined;
    return birthDateOfRecords(await this.vault.reveal(events, this.client), asOf);
  }
}
