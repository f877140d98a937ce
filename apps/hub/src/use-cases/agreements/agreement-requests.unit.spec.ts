import { newAgreementOf, reasonOf, revisedTermsOf } from './agreement-requests';
import { agreementView } from './agreement-view';

const terms = {
  title: 'Pilot', effectiveFrom: '2026-01-01', effectiveTo: '2026-06-30', reviewOn: '2026-04-01', respectsNationalDataOptOut: true,
  purposes: [{ purpose: 'near-miss-alerting', lawfulBasis: 'Art 6(1)(e)', providers: ['a'], recipients: ['b'], eventTypes: ['*'], personLevel: true, retentionDays: 365 }],
};

describe('agreement request bodies', () => {
  it('Given a new agreement without status or version, Then it is a draft, version 1', () => {
    expect(newAgreementOf({ agreement: { id: 'dsa-pilot', ...terms }, reason: 'signed' })).toEqual({ id: 'dsa-pilot', version: 1, status: 'draft', ...terms });
  });

  it.each([
    [{}, 'agreement: undefined is not a JSON object'],
    [{ agreement: { ...terms, id: 'DSA Pilot' } }, 'agreement.id: "DSA Pilot" must be lower-case letters'],
    [{ agreement: { ...terms, id: 'dsa-pilot', status: 'live' } }, 'agreement.status: "live" is not one of draft'],
    [{ agreement: { ...terms, id: 'dsa-pilot', respectsNationalDataOptOut: 'yes' } }, 'agreement.respectsNationalDataOptOut: "yes" is not a boolean'],
    [{ agreement: { ...terms, id: 'dsa-pilot', purposes: {} } }, 'agreement.purposes: {} is not a list'],
    [{ agreement: { ...terms, id: 'dsa-pilot', purposes: [7] } }, 'agreement.purposes[0]: 7 is not a JSON object'],
  ])('refuses %j naming the field and value', (body, message) => {
    expect(() => newAgreementOf(body)).toThrow(message);
  });

  it('needs a reason, and revised terms as an object', () => {
    expect(reasonOf({ reason: '  DPIA approved ' })).toBe('DPIA approved');
    expect(() => reasonOf({ reason: ' ' })).toThrow('reason: " " is required: say why');
    expect(() => reasonOf([])).toThrow('(body): [] is not a JSON object');
    expect(revisedTermsOf({ terms, reason: 'x' })).toEqual(terms);
    expect(() => revisedTermsOf({ terms: 'new', reason: 'x' })).toThrow('terms: "new" is not a JSON object');
  });
});

describe('agreement view', () => {
  const agreement = { id: 'dsa-pilot', version: 2, status: 'active' as const, ...terms, purposes: terms.purposes as never, changedAt: '2026-03-01T10:00:00Z', changedBy: 'hub-admin' };

  it('Given an active agreement, Then it is in force from effectiveFrom to effectiveTo, both days included', () => {
    expect(agreementView(agreement, '2025-12-31')).toMatchObject({ inForce: false });
    expect(agreementView(agreement, '2026-01-01')).toMatchObject({ inForce: true });
    expect(agreementView(agreement, '2026-06-30')).toMatchObject({ inForce: true });
    expect(agreementView(agreement, '2026-07-01')).toMatchObject({ inForce: false });
    expect(agreementView({ ...agreement, status: 'suspended' }, '2026-03-01')).toMatchObject({ inForce: false });
  });

  it('is due for review from reviewOn', () => {
    expect(agreementView(agreement, '2026-03-31')).toMatchObject({ reviewDue: false });
    expect(agreementView(agreement, '2026-04-01')).toMatchObject({ reviewDue: true });
  });
});
