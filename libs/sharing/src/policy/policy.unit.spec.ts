import type { Agreement, AgreementPurpose } from '@hub/kernel';
import { anAgreement } from '../agreement/agreement.fixtures.spec';
import { evaluateAccess, mayPublish, recipientsFor, type AccessRequest } from './policy';

const continuity = anAgreement().purposes[0]!;
const overdoseAlerting: AgreementPurpose = {
  purpose: 'near-miss-alerting', lawfulBasis: 'Art 6(1)(e); Art 9(2)(h)',
  providers: ['nhs-northshire-ambulance'], recipients: ['treatment-northshire-recovery', 'ldis-northshire'],
  eventTypes: ['nhs.non-fatal-overdose.recorded.v1'], personLevel: true, retentionDays: 730,
  fields: ['overdoseAt', 'naloxoneAdministered'],
};
const reporting: AgreementPurpose = {
  purpose: 'aggregate-reporting', lawfulBasis: 'Art 6(1)(e); Art 9(2)(g)', providers: ['prison-hmp-northgate'],
  recipients: ['la-northshire-public-health'], eventTypes: ['*'], personLevel: false, retentionDays: 2555,
};
const dsa = anAgreement({ purposes: [continuity, overdoseAlerting, reporting] });
const release: AccessRequest = {
  recipient: 'probation-northshire', purpose: 'continuity-of-care', provider: 'prison-hmp-northgate',
  eventType: 'prison.release.recorded.v1', on: '2026-03-02',
};

describe('evaluateAccess', () => {
  it('denies by default: no agreement, no access', () => {
    expect(evaluateAccess([], release)).toEqual({
      allowed: false, reason: 'no active agreement for continuity-of-care on 2026-03-02: none is registered for continuity-of-care',
    });
  });

  it('grants under the clause that names recipient, provider and type, with its field grant', () => {
    expect(evaluateAccess([dsa], release)).toEqual({
      allowed: true, agreementId: 'dsa-test', agreementVersion: 1, clause: 'dsa-test v1 / continuity-of-care',
      purpose: 'continuity-of-care', eventType: 'prison.release.recorded.v1', personLevel: true, fields: 'all',
    });
    const overdose = { ...release, recipient: 'ldis-northshire', purpose: 'near-miss-alerting' as const,
      provider: 'nhs-northshire-ambulance', eventType: 'nhs.non-fatal-overdose.recorded.v1' };
    expect(evaluateAccess([dsa], overdose)).toMatchObject({ allowed: true, fields: ['overdoseAt', 'naloxoneAdministered'] });
  });

  it.each([
    ['a recipient not named', { recipient: 'police-northshire' }, 'police-northshire is not a recipient for continuity-of-care under dsa-test v1 / continuity-of-care'],
    ['a provider not named', { provider: 'nhs-corbury-hospital' }, 'provider nhs-corbury-hospital is not named for continuity-of-care'],
    ['a type not covered', { eventType: 'treatment.discharged.v1' }, 'type treatment.discharged.v1 is not covered for continuity-of-care'],
    ['a purpose the agreement lacks', { purpose: 'drd-review' }, 'no active agreement for drd-review on 2026-03-02: none is registered for drd-review'],
    ['the day before effectiveFrom', { on: '2023-12-31' }, 'no active agreement for continuity-of-care on 2023-12-31 (dsa-test v1 takes effect on 2024-01-01)'],
    ['the day after effectiveTo', { on: '2029-01-01' }, 'no active agreement for continuity-of-care on 2029-01-01 (dsa-test v1 ended on 2028-12-31)'],
  ] as const)('denies %s, saying so', (_what, change, reason) => {
    expect(evaluateAccess([dsa], { ...release, ...change })).toEqual({ allowed: false, reason: expect.stringContaining(reason) });
  });

  it('includes both ends of the effective period', () => {
    expect(evaluateAccess([dsa], { ...release, on: '2024-01-01' }).allowed).toBe(true);
    expect(evaluateAccess([dsa], { ...release, on: '2028-12-31' }).allowed).toBe(true);
  });

  it.each(['draft', 'suspended', 'expired', 'terminated'] as const)('denies under a %s agreement', (status) => {
    expect(evaluateAccess([{ ...dsa, status }], release))
      .toEqual({ allowed: false, reason: expect.stringContaining(`dsa-test v1 is ${status}`) });
  });

  it('lets * cover every type, aggregate-only where personLevel is false', () => {
    const read = { ...release, recipient: 'la-northshire-public-health', purpose: 'aggregate-reporting' as const };
    for (const eventType of ['prison.reception.recorded.v1', 'coroner.inquest.concluded.v1']) {
      expect(evaluateAccess([dsa], { ...read, eventType })).toMatchObject({ allowed: true, personLevel: false });
    }
  });

  it('treats a retraction as the type it retracts, and refuses one without it', () => {
    const retraction = { ...release, eventType: 'prison.record.retracted.v1' };
    expect(evaluateAccess([dsa], { ...retraction, retractedType: 'prison.release.recorded.v1' }))
      .toMatchObject({ allowed: true, eventType: 'prison.release.recorded.v1' });
    expect(evaluateAccess([dsa], { ...retraction, retractedType: 'prison.reception.recorded.v1' }))
      .toMatchObject({ allowed: false, reason: expect.stringContaining('type prison.reception.recorded.v1 is not covered') });
    expect(evaluateAccess([dsa], retraction)).toMatchObject({ allowed: false, reason: expect.stringContaining('needs its retractedType') });
    expect(evaluateAccess([dsa], { ...retraction, retractedType: 'treatment.started.v1' }))
      .toMatchObject({ allowed: false, reason: expect.stringContaining('cannot retract treatment.started.v1') });
  });

  it('names the person-level clause when two agreements grant the same read', () => {
    const aggregateOnly: Agreement = anAgreement({ id: 'dsa-a-stats', purposes: [{ ...continuity, personLevel: false }] });
    expect(evaluateAccess([aggregateOnly, { ...dsa, id: 'dsa-z' }], release))
      .toMatchObject({ allowed: true, clause: 'dsa-z v1 / continuity-of-care', personLevel: true });
  });

  it('ignores aggregates that were never registered', () => {
    expect(evaluateAccess([{ status: 'unregistered' }, dsa], release).allowed).toBe(true);
  });
});

describe('mayPublish', () => {
  const publish = { provider: 'prison-hmp-northgate', eventType: 'prison.release.recorded.v1', on: '2026-03-02' };

  it('allows a provider of the type under any purpose, naming the clause', () => {
    expect(mayPublish([dsa], publish)).toEqual({
      allowed: true, agreementId: 'dsa-test', agreementVersion: 1, clause: 'dsa-test v1 / continuity-of-care',
    });
    // Only aggregate-reporting (eventTypes *) names the prison as provider of receptions.
    expect(mayPublish([dsa], { ...publish, eventType: 'prison.reception.recorded.v1' }))
      .toMatchObject({ allowed: true, clause: 'dsa-test v1 / aggregate-reporting' });
  });

  it('refuses an agency no active agreement names as a provider, or a type it does not cover', () => {
    expect(mayPublish([dsa], { ...publish, provider: 'coroner-northshire' }))
      .toEqual({ allowed: false, reason: 'provider coroner-northshire is not named by any active agreement on 2026-03-02' });
    expect(mayPublish([dsa], { ...publish, provider: 'nhs-northshire-ambulance', eventType: 'nhs.record.retracted.v1', retractedType: 'nhs.non-fatal-overdose.recorded.v1' }).allowed).toBe(true);
    expect(mayPublish([dsa], { ...publish, provider: 'treatment-northshire-recovery', eventType: 'treatment.discharged.v1' }))
      .toMatchObject({ allowed: false, reason: expect.stringContaining('type treatment.discharged.v1 is not covered for provider treatment-northshire-recovery') });
    expect(mayPublish([{ ...dsa, status: 'suspended' }], publish))
      .toMatchObject({ allowed: false, reason: expect.stringContaining('dsa-test v1 is suspended') });
  });
});

describe('recipientsFor', () => {
  const overdose = { provider: 'nhs-northshire-ambulance', eventType: 'nhs.non-fatal-overdose.recorded.v1', on: '2026-03-02' };

  it('keeps only the candidates an agreement allows, in candidate order, with their clause', () => {
    const grants = recipientsFor([dsa], {
      ...overdose, purpose: 'near-miss-alerting',
      candidates: ['probation-northshire', 'treatment-northshire-recovery', 'ldis-northshire', 'treatment-northshire-recovery'],
    });
    expect(grants.map((g) => [g.recipient, g.clause])).toEqual([
      ['treatment-northshire-recovery', 'dsa-test v1 / near-miss-alerting'],
      ['ldis-northshire', 'dsa-test v1 / near-miss-alerting'],
    ]);
  });

  it('lists every purpose a candidate may receive the data for when no purpose is given', () => {
    const grants = recipientsFor([dsa], {
      provider: 'prison-hmp-northgate', eventType: 'prison.release.recorded.v1', on: '2026-03-02',
      candidates: ['la-northshire-public-health', 'probation-northshire'],
    });
    expect(grants.map((g) => [g.recipient, g.purpose, g.personLevel])).toEqual([
      ['la-northshire-public-health', 'aggregate-reporting', false],
      ['probation-northshire', 'continuity-of-care', true],
    ]);
  });

  it('returns no one when the agreement is suspended', () => {
    expect(recipientsFor([{ ...dsa, status: 'suspended' }], { ...overdose, candidates: ['ldis-northshire'] })).toEqual([]);
  });
});
