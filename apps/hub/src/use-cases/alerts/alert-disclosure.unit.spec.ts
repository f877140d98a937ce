import type { AlertView } from '@hub/alerts';
import type { AccessGranted } from '@hub/sharing';
import type { ReadAuthorization } from '../../access/read-access.service';
import { presentAlerts } from './alert-disclosure';

const release = 'prison.release.recorded.v1';
const alert = {
  id: 'alert-1', code: 'ENGAGEMENT_AT_RISK', priority: 'medium', status: 'open', raisedAt: '2025-03-08T00:00:00Z', personRef: 'person-1',
  localAuthority: 'E06000901', recipients: ['probation-northshire'], purpose: 'continuity-of-care', occurredOn: '2025-03-08',
  details: { releasedOn: '2025-03-01', substanceGroup: 'opiate', daysLeft: 14 },
  triggers: [{ recordKey: 'k', provider: 'prison-hmp-northgate', type: release }], grants: [], acknowledgements: [], resolution: null, closure: null, updatedSeq: 7,
} as unknown as AlertView;

const authWith = (fields: AccessGranted['fields']): ReadAuthorization => ({
  recipient: 'probation-northshire', purpose: 'continuity-of-care', on: '2025-03-09', personLevel: true,
  grant: (_provider, eventType) => ({
    allowed: true, agreementId: 'dsa', agreementVersion: 1, clause: 'dsa v1 / continuity-of-care', purpose: 'continuity-of-care', eventType, personLevel: true, fields,
  }),
});

describe('presentAlerts', () => {
  it('given a grant without the substance group, when the alert is presented, then the substance group is withheld and named as withheld', () => {
    const [shown] = presentAlerts([alert], authWith(['releasedOn', 'daysLeft']));
    expect(shown!.alert.details).toEqual({ releasedOn: '2025-03-01', daysLeft: 14 });
    expect(shown!.alert.withheld).toEqual(['substanceGroup']);
  });

  it('given a grant of every field, when presented, then nothing is withheld', () => {
    const [shown] = presentAlerts([alert], authWith('all'));
    expect(shown!.alert.details).toEqual(alert.details);
    expect(shown!.alert.withheld).toEqual([]);
  });
});
