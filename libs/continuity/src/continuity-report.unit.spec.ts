import { DomainError } from '@hub/kernel';
import { parseReportRequest, reportRows } from './continuity-report';

function refusal(raw: Parameters<typeof parseReportRequest>[0]): string {
  try {
    parseReportRequest(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('REQUEST.INVALID_PARAMETER');
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('continuity report parameters', () => {
  it('Given valid parameters, then they are read with group-by in the order given', () => {
    expect(parseReportRequest({ from: '2025-01-01', to: '2025-12-31', groupBy: 'month,prisonId', asOf: '2025-06-01T12:00:00+01:00' }))
      .toEqual({ from: '2025-01-01', to: '2025-12-31', groupBy: ['month', 'prisonId'], asOf: '2025-06-01T11:00:00.000Z', disclosure: 'none' });
  });
  it('Given a date that does not exist, then it is refused naming the field and value', () => {
    expect(refusal({ from: '2025-02-30', to: '2025-12-31' })).toBe('from "2025-02-30" is not a calendar date (YYYY-MM-DD)');
  });
  it('Given from after to, then refused', () => {
    expect(refusal({ from: '2025-12-31', to: '2025-01-01' })).toBe('from "2025-12-31" is after to "2025-01-01"');
  });
  it('Given an unknown group-by, then refused naming it', () => {
    expect(refusal({ from: '2025-01-01', to: '2025-12-31', groupBy: 'month,postcode' })).toBe('groupBy "postcode" is not one of month, prisonId, localAuthority, substanceGroup');
  });
  it('Given an as-of that is not an instant, then refused', () => {
    expect(refusal({ from: '2025-01-01', to: '2025-12-31', asOf: 'yesterday' })).toContain('asOf "yesterday"');
    expect(refusal({ from: '2025-01-01', to: '2025-12-31', asOf: '2025-02-30T00:00:00Z' })).toContain('asOf "2025-02-30T00:00:00Z"');
  });
  it('Given a missing date or an unknown disclosure, then refused', () => {
    expect(refusal({ to: '2025-12-31' })).toBe('from null is required (a date, YYYY-MM-DD)');
    expect(refusal({ from: '2025-01-01', to: '2025-12-31', disclosure: 'partial' })).toBe('disclosure "partial" is not one of none, published');
  });
});

describe('continuity report rows', () => {
  const counts = [
    { group: { prisonId: 'NGI' }, released: 20, engaged: 10, notEngaged: 5, pending: 3, excluded: 2 },
    { group: { prisonId: 'EFI' }, released: 0, engaged: 0, notEngaged: 0, pending: 0, excluded: 0 },
  ];
  it('Given counts, then rows are in group order with rate engaged / (engaged + notEngaged), null when that is 0', () => {
    expect(reportRows(counts, ['prisonId'], 'none')).toEqual([
      { group: { prisonId: 'EFI' }, released: 0, engaged: 0, notEngaged: 0, pending: 0, excluded: 0, rate: null },
      { group: { prisonId: 'NGI' }, released: 20, engaged: 10, notEngaged: 5, pending: 3, excluded: 2, rate: 10 / 15 },
    ]);
  });
  it('Given published disclosure, then small counts are suppressed and others rounded to 5', () => {
    const [, ngi] = reportRows(counts, ['prisonId'], 'published');
    expect(ngi).toMatchObject({ released: 20, engaged: 10, suppressed: true });
    expect(ngi!.pending).toBeNull();
    expect(ngi!.excluded).toBeNull();
  });
});
