import type { IngestOutcome } from '@hub/ingest';
import type { BusMessage, ReceivedMessage } from '@hub/messaging';

type Rejected = Extract<IngestOutcome, { status: 'rejected' }>;

/**
 * What goes to `cdp.rejected.<agency>`: the record exactly as published (key, value, headers) with
 * the reason added as headers, and where it came from, so the agency can find and fix it.
 */
export function rejectedRecord(record: ReceivedMessage, rejection: Rejected): BusMessage {
  return {
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      cdp_rejection_code: rejection.code,
      cdp_rejection_message: rejection.message,
      ...(rejection.pointer ? { cdp_rejection_pointer: rejection.pointer } : {}),
      cdp_original_topic: record.topic,
      cdp_original_partition: String(record.partition),
      cdp_original_offset: record.offset,
    },
  };
}
