import type { Agreement } from '@hub/kernel';
import { anAgreement } from '../agreement/agreement.fixtures.spec';
import { retentionOf } from './retention.rules';

const clause = anAgreement().purposes[0]!;
const agreement = (overrides: Partial<Agreement>): Agreement => anAgreement({
  purposes: [
    { ...clause, purpose: 'continuity-of-care', retentionDays: 30 },
    { ...clause, purpose: 'drd-review', retentionDays: 90, providers: ['prison-hmp-northgate'] },
  ],
  ...overrides,
});
const release = { provider: 'prison-hmp-northgate', eventType: 'prison.release.recorded.v1', occurredOn: '2026-01-01' };

describe('retention', () => {
  it('Given two purposes holding a release, Then it is kept for the longer one, through its last day', () => {
    expect(retentionOf([agreement({})], release, '2026-04-01')).toEqual({ kind: 'keep', retentionDays: 90, keepUntil: '2026-04-01' });
    expect(retentionOf([agreement({})], release, '2026-04-02')).toEqual({ kind: 'shred', retentionDays: 90, keepUntil: '2026-04-01' });
  });

  it('Given a provider only one purpose names, Then that purpose sets the period', () => {
    const treatment = { ...release, provider: 'treatment-northshire-recovery', eventType: 'treatment.started.v1' };
    expect(retentionOf([agreement({})], treatment, '2026-02-01')).toMatchObject({ kind: 'shred', retentionDays: 30 });
  });

  it('Given a draft agreement only, Then there is no rule and the event is kept (and counted)', () => {
    expect(retentionOf([agreement({ status: 'draft' })], release, '2030-01-01')).toEqual({ kind: 'no-rule' });
  });

  it('Given a terminated agreement, Then its retention still applies to what was shared under it', () => {
    expect(retentionOf([agreement({ status: 'terminated' })], release, '2026-03-01')).toMatchObject({ kind: 'keep', retentionDays: 90 });
  });

  it('Given a retraction, Then it is held as long as the type it retracts', () => {
    const retraction = { ...release, eventType: 'prison.record.retracted.v1', retractedType: 'prison.release.recorded.v1' };
    expect(retentionOf([agreement({})], retraction, '2026-04-02')).toMatchObject({ kind: 'shred', retentionDays: 90 });
  });

  it('Given a type no clause covers, Then there is no rule', () => {
    expect(retentionOf([agreement({})], { ...release, eventType: 'police.drug-test-on-arrest.recorded.v1' }, '2030-01-01')).toEqual({ kind: 'no-rule' });
  });
});
