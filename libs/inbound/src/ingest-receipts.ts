import type { IngestOutcome } from '@hub/ingest';
import type { ReceivedMessage } from '@hub/messaging';
import { nameBasedId, outboundEvent, type OutboundEvent } from '@hub/outbox';

export const receiptType = 'hub.ingest.receipt.v1';

/**
 * One receipt per inbound record: its outcome, the event id and the record's coordinates. The
 * receipt id is derived from the record and the outcome, so a record re-delivered after a crash
 * that meets the same outcome yields the same id (receivers drop it); one stored before the crash
 * is then a `duplicate`, under a new id. Rejection messages are not in receipts: they may quote
 * personal data, and the outbox keeps receipts at rest; the rejected topic carries them.
 */
export function ingestReceipts(records: readonly ReceivedMessage[], outcomes: readonly IngestOutcome[], areaId: string, at: Date): OutboundEvent[] {
  return records.map((record, index) => {
    const outcome = outcomes[index]!;
    const coordinates = { topic: record.topic, partition: record.partition, offset: record.offset };
    const data: Record<string, unknown> = { eventId: outcome.id, outcome: outcome.status, record: coordinates };
    if (outcome.status === 'rejected') {
      data.code = outcome.code;
      if (outcome.pointer) data.pointer = outcome.pointer;
    }
    const trigger = `${record.topic}/${record.partition}/${record.offset}/${outcome.status}/${outcome.status === 'rejected' ? outcome.code : ''}`;
    return outboundEvent({ id: nameBasedId(`receipt:${trigger}`), areaId, type: receiptType, time: at.toISOString(), data });
  });
}
