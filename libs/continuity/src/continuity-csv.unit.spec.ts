import type { ContinuityReport } from './continuity-report';
import { reportCsv } from './continuity-csv';

describe('reportCsv', () => {
  it('given grouped rows, when written, then a header of dimensions and counts and one CRLF line per row, empty cells for null', () => {
    const report = {
      from: '2025-01-01', to: '2025-12-31', asOf: '2026-01-01T00:00:00.000Z',
      rows: [{ group: { month: '2025-03', prisonId: 'NGI' }, released: 9, engaged: 4, notEngaged: 3, pending: 0, excluded: 2, rate: 4 / 7 },
        { group: { month: '2025-04', prisonId: null }, released: 1, engaged: 0, notEngaged: 0, pending: 1, excluded: 0, rate: null }],
    } as ContinuityReport;
    expect(reportCsv(report, ['month', 'prisonId']).split('\r\n')).toEqual([
      'month,prisonId,released,engaged,notEngaged,pending,excluded,rate', '2025-03,NGI,9,4,3,0,2,0.5714285714285714', '2025-04,,1,0,0,1,0,', '',
    ]);
  });

  it('adds the suppressed column under disclosure control and quotes cells that need it', () => {
    const report = {
      from: '2025-01-01', to: '2025-12-31', asOf: '2026-01-01T00:00:00.000Z',
      rows: [{ group: { localAuthority: 'North, "East"' }, released: 10, engaged: null, notEngaged: null, pending: 0, excluded: null, rate: null, suppressed: true, suppressedFields: ['engaged'] }],
    } as unknown as ContinuityReport;
    expect(reportCsv(report, ['localAuthority']).split('\r\n')[1]).toBe('"North, ""East""",10,,,0,,,true');
  });
});
