import { randomUUID } from 'node:crypto';
import type { BenchMessage } from './bench-client';

/** CloudEvents in structured mode, about 600 bytes each, keyed by agency subject. */
export function cloudEventMessages(count: number): BenchMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const subject = `A${String(1000 + (i % 5000)).padStart(4, '0')}BC`;
    const event = {
      specversion: '1.0', id: randomUUID(), source: 'agency:prison-hmp-northgate',
      type: 'uk.gov.cdp.prison.release.recorded.v1', subject, time: new Date(Date.UTC(2026, 10, 1, 0, 0, i % 86_400)).toISOString(),
      datacontenttype: 'application/json',
      data: {
        person: { nhsNumber: '9434765919', prisonNumber: subject, dateOfBirth: '1984-03-02', givenName: 'Alex', familyName: 'Example' },
        releasedOn: '2026-11-02', releaseType: 'licence', establishment: 'HMP Northgate',
        destination: { localAuthority: 'E08000035', postcodeDistrict: 'LS6' },
        substanceMisuse: { inTreatment: true, naloxoneIssued: true },
      },
    };
    return { key: `prison-hmp-northgate:${subject}`, value: JSON.stringify(event) };
  });
}
