import type { AgreementPurpose } from '@hub/kernel';
import { anAgreement } from '../agreement/agreement.fixtures.spec';
import { evaluateAccess, type AccessRequest } from './policy';
import { grantedFields, redact } from './redaction';

const clause = (fields?: readonly string[], personLevel = true): AgreementPurpose => ({
  ...anAgreement().purposes[0]!, personLevel, ...(fields ? { fields } : {}),
});
const read: AccessRequest = {
  recipient: 'probation-northshire', purpose: 'continuity-of-care', provider: 'treatment-northshire-recovery',
  eventType: 'treatment.started.v1', on: '2026-03-02',
};
const engagementRow = {
  personRef: 'p-7f3a', engagementStatus: 'engaged', engagedSince: '2026-02-20', providerId: 'NRP',
  treatmentSetting: 'community', substanceGroup: 'opiate', givenName: 'Jo', internalNote: 'never shown',
};
const decide = (purpose: AgreementPurpose) => evaluateAccess([anAgreement({ purposes: [purpose] })], read);

describe('redaction', () => {
  it('shows probation that a person is engaged and since when, but not the substance group, when the clause says so', () => {
    expect(redact(engagementRow, decide(clause(['engagementStatus', 'engagedSince'])))).toEqual({
      personRef: 'p-7f3a', engagementStatus: 'engaged', engagedSince: '2026-02-20',
    });
  });

  it('shows the substance group once the clause lists it', () => {
    expect(redact(engagementRow, decide(clause(['engagementStatus', 'engagedSince', 'substanceGroup']))))
      .toEqual({ personRef: 'p-7f3a', engagementStatus: 'engaged', engagedSince: '2026-02-20', substanceGroup: 'opiate' });
  });

  it('defaults to every field of the covered type when the clause lists none, never unclassified keys', () => {
    const { internalNote: _dropped, ...everyKnownField } = engagementRow;
    expect(redact(engagementRow, decide(clause()))).toEqual(everyKnownField);
  });

  it('does not let a field grant reach fields the covered type does not carry', () => {
    const decision = decide(clause(['engagedSince', 'releasedOn']));
    expect(decision.allowed && grantedFields(decision)).toEqual(['personRef', 'engagedSince']);
  });

  it('discloses nothing when access is denied or the grant is aggregate-only', () => {
    expect(redact(engagementRow, evaluateAccess([], read))).toBeNull();
    expect(redact(engagementRow, decide(clause(undefined, false)))).toBeNull();
  });
});
