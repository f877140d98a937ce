import { decodeInboundRecord } from './kafka-cloud-event';

const event = {
  specversion: '1.0', id: 'c0b9a1e6-1c44-4c1e-9d3a-5f2b7a9c8e01', source: 'agency:prison-hmp-northgate',
  type: 'prison.reception.recorded.v1', subject: 'A1234BC', time: '2026-11-02T09:30:00Z',
  datacontenttype: 'application/json', data: { recordId: 'REC-1', receivedOn: '2026-11-02', prisonId: 'NGI', reason: 'remand' },
};
const { data, ...attributes } = event;
const record = (value: unknown, headers: Record<string, string> = {}) => ({
  value: value === null ? null : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), headers,
});

describe('decoding an inbound Kafka record (CloudEvents Kafka binding)', () => {
  it('reads structured mode: the value is the CloudEvent', () => {
    expect(decodeInboundRecord(record(event, { 'content-type': 'application/cloudevents+json; charset=UTF-8' }))).toEqual({ kind: 'parsed', value: event });
  });

  it('reads a record without content-type or ce_ headers as structured mode (as kcat sends by default)', () => {
    expect(decodeInboundRecord(record(event))).toEqual({ kind: 'parsed', value: event });
  });

  it('reads binary mode: attributes from ce_ headers, data from the value, datacontenttype from content-type', () => {
    const headers = {
      ce_specversion: '1.0', ce_id: event.id, ce_source: event.source, ce_type: event.type, ce_subject: event.subject,
      ce_time: event.time, 'content-type': 'application/json; charset=utf-8',
    };
    expect(decodeInboundRecord(record(data, headers))).toEqual({ kind: 'parsed', value: { ...attributes, data } });
  });

  it('keeps other ce_ headers as extension attributes, for the envelope schema to judge', () => {
    const headers = { ce_specversion: '1.0', ce_id: event.id, ce_traceparent: '00-abc-01' };
    expect(decodeInboundRecord(record(data, headers))).toEqual({ kind: 'parsed', value: { specversion: '1.0', id: event.id, traceparent: '00-abc-01', data } });
  });

  it('leaves a missing binary attribute missing, so the pipeline rejects it by name', () => {
    const decoded = decodeInboundRecord(record(data, { ce_specversion: '1.0', ce_source: event.source }));
    expect(decoded).toEqual({ kind: 'parsed', value: { specversion: '1.0', source: event.source, data } });
  });

  it('passes on what is not JSON, or empty, or batch mode, as unparseable with the reason', () => {
    expect(decodeInboundRecord(record('{"specversion": '))).toMatchObject({ kind: 'unparseable', error: expect.stringMatching(/JSON/) });
    expect(decodeInboundRecord(record('not json', { ce_specversion: '1.0' }))).toMatchObject({ kind: 'unparseable', error: expect.stringMatching(/^binary mode: the value \(data\) is not JSON/) });
    expect(decodeInboundRecord(record(null))).toEqual({ kind: 'unparseable', error: 'the Kafka record has no value' });
    expect(decodeInboundRecord(record([event], { 'content-type': 'application/cloudevents-batch+json' }))).toMatchObject({ kind: 'unparseable', error: expect.stringMatching(/batch mode/) });
  });
});
