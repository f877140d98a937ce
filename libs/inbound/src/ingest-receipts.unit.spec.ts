import type { ReceivedMessage } from '@hub/messaging';
import { ingestReceipts } from './ingest-receipts';
import { rejectedRecord } from './rejected-record';

const record = (offset: string): ReceivedMessage => ({
  topic: 'cdp.inbound.police-northshire', partition: 2, offset, key: 'P-1', value: Buffer.from('{"id":"e"}'),
  headers: { 'content-type': 'application/cloudevents+json' }, timestamp: '0',
});
const at = new Date('2026-11-02T09:30:00.000Z');
const rejection = { status: 'rejected', id: 'e-2', code: 'SOURCE_MISMATCH', pointer: '/source', message: '/source: "agency:nhs-northshire" does not match the publisher, agency "police-northshire"' } as const;

describe('ingest receipts', () => {
  it('says, per record, what became of it, with the record coordinates and never the rejection message', () => {
    const receipts = ingestReceipts([record('7'), record('8'), record('9')], [
      { status: 'accepted', id: 'e-1', globalPosition: 12 }, rejection, { status: 'duplicate', id: 'e-3' },
    ], 'northshire', at);
    expect(receipts.map((receipt) => receipt.data)).toEqual([
      { eventId: 'e-1', outcome: 'accepted', record: { topic: 'cdp.inbound.police-northshire', partition: 2, offset: '7' } },
      { eventId: 'e-2', outcome: 'rejected', code: 'SOURCE_MISMATCH', pointer: '/source', record: { topic: 'cdp.inbound.police-northshire', partition: 2, offset: '8' } },
      { eventId: 'e-3', outcome: 'duplicate', record: { topic: 'cdp.inbound.police-northshire', partition: 2, offset: '9' } },
    ]);
    expect(receipts.every((receipt) => receipt.source === 'hub:northshire' && receipt.type === 'hub.ingest.receipt.v1' && receipt.time === at.toISOString())).toBe(true);
  });

  it('gives a re-delivered record with the same outcome the same receipt id, and another outcome another id', () => {
    const accepted = { status: 'accepted', id: 'e-1', globalPosition: 12 } as const;
    const [first] = ingestReceipts([record('7')], [accepted], 'northshire', at);
    const [again] = ingestReceipts([record('7')], [accepted], 'northshire', new Date('2026-11-02T10:00:00Z'));
    const [duplicate] = ingestReceipts([record('7')], [{ status: 'duplicate', id: 'e-1' }], 'northshire', at);
    expect(again!.id).toBe(first!.id);
    expect(duplicate!.id).not.toBe(first!.id);
  });
});

describe('rejected records', () => {
  it('are the record as published, with the code, message and pointer and where it came from as headers', () => {
    expect(rejectedRecord(record('8'), rejection)).toEqual({
      key: 'P-1', value: Buffer.from('{"id":"e"}'),
      headers: {
        'content-type': 'application/cloudevents+json', cdp_rejection_code: 'SOURCE_MISMATCH', cdp_rejection_message: rejection.message,
        cdp_rejection_pointer: '/source', cdp_original_topic: 'cdp.inbound.police-northshire', cdp_original_partition: '2', cdp_original_offset: '8',
      },
    });
  });
});
