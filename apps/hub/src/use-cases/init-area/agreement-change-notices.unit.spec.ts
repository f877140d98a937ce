import type { AgreementPurpose } from '@hub/kernel';
import { type AgreementTerms, type DirectoryEvent, emptyDirectory, evolveDirectory } from '@hub/sharing';
import { agreementChangeNotices } from './agreement-change-notices';

const clause = (purpose: AgreementPurpose['purpose'], providers: string[], recipients: string[]): AgreementPurpose => ({
  purpose, lawfulBasis: 'UK GDPR 6(1)(e)', providers, recipients, eventTypes: ['prison.release.recorded.v1'], personLevel: true, retentionDays: 365,
});
const terms = (purposes: AgreementPurpose[]): AgreementTerms => ({
  title: 'Northshire CDP', effectiveFrom: '2024-01-01', effectiveTo: '2028-12-31', reviewOn: '2026-01-01', respectsNationalDataOptOut: true, purposes,
});
const change = { agreementId: 'dsa-1', by: 'ops', reason: 'area configuration loaded', at: '2026-11-02T09:30:00.000Z' };
const registered: DirectoryEvent = {
  type: 'AgreementRegistered',
  data: { ...change, version: 1, status: 'active', terms: terms([clause('continuity-of-care', ['prison-a'], ['treatment-b', 'probation-c'])]) },
};

describe('agreement change notices', () => {
  it('Given no agreement, When one is registered, Then every party hears of it with its own role', () => {
    const deliveries = agreementChangeNotices(emptyDirectory, [{ eventId: 'h-1', event: registered }], 'northshire', change.at);
    expect(deliveries.map((d) => d.agencyId)).toEqual(['prison-a', 'treatment-b', 'probation-c']);
    const [prison, treatment] = deliveries;
    expect(prison!.events).toEqual([{
      specversion: '1.0', id: 'h-1', source: 'hub:northshire', type: 'hub.agreement.changed.v1', time: change.at, datacontenttype: 'application/json',
      data: {
        agreementId: 'dsa-1', version: 1, status: 'active', title: 'Northshire CDP', effectiveFrom: '2024-01-01', effectiveTo: '2028-12-31',
        change: 'hub.agreement.registered.v1', providesFor: ['continuity-of-care'], receivesFor: [],
      },
    }]);
    expect(treatment!.events[0]!.data).toMatchObject({ providesFor: [], receivesFor: ['continuity-of-care'] });
  });

  it('Given a registered agreement, When a revision drops a recipient, Then the dropped agency is told too, with no role left', () => {
    const before = evolveDirectory(emptyDirectory, registered);
    const revised: DirectoryEvent = {
      type: 'AgreementRevised',
      data: { ...change, version: 2, previousVersion: 1, terms: terms([clause('continuity-of-care', ['prison-a'], ['treatment-b'])]) },
    };
    const deliveries = agreementChangeNotices(before, [{ eventId: 'h-2', event: revised }], 'northshire', change.at);
    expect(deliveries.map((d) => d.agencyId)).toEqual(['prison-a', 'treatment-b', 'probation-c']);
    expect(deliveries[2]!.events[0]!.data).toMatchObject({ version: 2, change: 'hub.agreement.revised.v1', providesFor: [], receivesFor: [] });
  });

  it('Given several changes in one load, Then each agency gets them in order, and the area event tells no one', () => {
    const suspended: DirectoryEvent = { type: 'AgreementSuspended', data: { ...change, version: 1 } };
    const area: DirectoryEvent = { type: 'AreaConfigured', data: { area: { id: 'northshire', name: 'N', localAuthorities: [] }, agencies: [], by: 'ops', at: change.at } };
    const deliveries = agreementChangeNotices(emptyDirectory, [
      { eventId: 'h-0', event: area }, { eventId: 'h-1', event: registered }, { eventId: 'h-2', event: suspended },
    ], 'northshire', change.at);
    expect(deliveries[0]!.events.map((e) => [e.id, e.data.status])).toEqual([['h-1', 'active'], ['h-2', 'suspended']]);
  });
});
