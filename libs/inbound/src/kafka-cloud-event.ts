import type { IngestInput } from '@hub/ingest';
import type { BusHeaders, ReceivedMessage } from '@hub/messaging';

/** CloudEvents attributes that binary mode carries as `ce_<name>` headers, other than extensions. */
const binaryAttributes = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'dataschema'] as const;

/**
 * One inbound Kafka record as an ingest input, by the CloudEvents Kafka protocol binding:
 * - structured mode (`content-type: application/cloudevents+json`, or no `ce_` headers at all):
 *   the value is the whole CloudEvent as JSON;
 * - binary mode (`ce_specversion` header): the value is `data`, attributes are `ce_*` headers and
 *   `content-type` is `datacontenttype`; other `ce_*` headers are extension attributes.
 * Nothing is checked here: a missing attribute or bad JSON is the pipeline's to reject, with its code.
 */
export function decodeInboundRecord(record: Pick<ReceivedMessage, 'value' | 'headers'>): IngestInput {
  if (record.value === null || record.value.length === 0) return { kind: 'unparseable', error: 'the Kafka record has no value' };
  const contentType = record.headers['content-type'];
  if (contentType !== undefined && /^application\/cloudevents-batch/i.test(contentType)) {
    return { kind: 'unparseable', error: 'CloudEvents batch mode is not part of the Kafka binding: publish one event per record' };
  }
  const structured = (contentType !== undefined && /^application\/cloudevents/i.test(contentType)) || record.headers.ce_specversion === undefined;
  const parsed = parseJson(record.value);
  if (structured) return parsed.ok ? { kind: 'parsed', value: parsed.value } : { kind: 'unparseable', error: parsed.error };
  if (!parsed.ok) return { kind: 'unparseable', error: `binary mode: the value (data) is not JSON: ${parsed.error}` };
  return { kind: 'parsed', value: binaryModeEvent(record.headers, contentType, parsed.value) };
}

function binaryModeEvent(headers: BusHeaders, contentType: string | undefined, data: unknown): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const attribute of binaryAttributes) {
    const value = headers[`ce_${attribute}`];
    if (value !== undefined) event[attribute] = value;
  }
  // `application/json; charset=utf-8` is application/json.
  if (contentType !== undefined) event.datacontenttype = contentType.split(';')[0]!.trim().toLowerCase();
  for (const [name, value] of Object.entries(headers)) {
    const attribute = name.startsWith('ce_') ? name.slice(3) : undefined;
    if (attribute && !(binaryAttributes as readonly string[]).includes(attribute) && attribute !== 'datacontenttype') event[attribute] = value;
  }
  event.data = data;
  return event;
}

function parseJson(value: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(value.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
