import type { StoredEvent } from '@hub/event-store';
import { birthDateOfRecords } from './linked-birth-date';

let position = 0;
function stored(type: string, data: Record<string, unknown>, at: { time?: string; recordedAt?: string } = {}): StoredEvent {
  position += 1;
  return {
    globalPosition: position, transactionId: BigInt(position), eventId: `e${position}`, streamId: 'probation:x', streamPosition: position, type,
    source: 'agency:probation-northshire', subject: null, occurredAt: at.time ?? '2025-01-01T00:00:00Z', recordedAt: at.recordedAt ?? '2025-01-01T00:00:00Z',
    data, metadata: {},
  };
}
const supervision = (recordId: string, dateOfBirth: string | undefined, at?: { time?: string; recordedAt?: string }) =>
  stored('probation.supervision.started.v1', { recordId, person: dateOfBirth ? { dateOfBirth, familyName: 'X' } : { deliusCrn: 'X123456' } }, at);

describe('a date of birth from linked records', () => {
  it('Given a linked record with a date of birth, then it is used', () => {
    expect(birthDateOfRecords([supervision('S1', '2007-06-01')])).toBe('2007-06-01');
  });
  it('Given no linked record with one (or an erased one), then none', () => {
    expect(birthDateOfRecords([supervision('S1', undefined), stored('probation.supervision.ended.v1', { recordId: 'S2' })])).toBeUndefined();
  });
  it('Given a corrected record, then only its current version counts', () => {
    const first = supervision('S1', '2007-06-01', { time: '2025-01-01T00:00:00Z' });
    const corrected = supervision('S1', '1990-06-01', { time: '2025-02-01T00:00:00Z' });
    expect(birthDateOfRecords([first, corrected])).toBe('1990-06-01');
  });
  it('Given a retracted record, then its date of birth counts for nothing', () => {
    const record = supervision('S1', '2007-06-01');
    const retraction = stored('probation.record.retracted.v1', { recordId: 'R1', retractedType: 'probation.supervision.started.v1', retractedRecordId: 'S1', reason: 'x' });
    expect(birthDateOfRecords([record, retraction])).toBeUndefined();
  });
  it('Given records that arrived after the instant asked about, then they are left out', () => {
    const late = supervision('S1', '2007-06-01', { recordedAt: '2025-05-01T00:00:00Z' });
    expect(birthDateOfRecords([late], '2025-04-01T00:00:00Z')).toBeUndefined();
    expect(birthDateOfRecords([late], '2025-05-01T00:00:00Z')).toBe('2007-06-01');
  });
});
