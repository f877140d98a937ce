import type { Agency } from '@hub/kernel';
import type { RegisteredAgreement } from '@hub/sharing';
import type { PresentedAlert } from '../../use-cases/alerts/alert-disclosure';
import { agreementOverview } from './agreement-overview';
import { clusterSummary } from './cluster-summary';
import { detailRows, fieldText } from './labels';
import { flagAnswers, learningPointsOf, nextSteps, orderQueue } from './review-queue';

const cluster = (localAuthority: string, count: number, raisedAt: string) =>
  ({ code: 'OVERDOSE_CLUSTER', localAuthority, raisedAt, details: { count } }) as unknown as PresentedAlert;

describe('clusterSummary', () => {
  it('given cluster alerts in two local authorities, when summarised, then counts clusters and overdoses per authority, most clusters first, by name', () => {
    const rows = clusterSummary(
      [cluster('E06000903', 3, '2025-03-01T10:00:00Z'), cluster('E06000901', 4, '2025-03-02T10:00:00Z'), cluster('E06000903', 5, '2025-03-04T10:00:00Z'),
        { ...cluster('E06000902', 9, '2025-03-05T10:00:00Z'), code: 'REPEAT_OVERDOSE' } as PresentedAlert],
      [{ code: 'E06000901', name: 'Northshire North' }, { code: 'E06000903', name: 'Corbury' }],
    );
    expect(rows).toEqual([
      { localAuthority: 'E06000903', name: 'Corbury', clusters: 2, overdoses: 8, latestRaisedAt: '2025-03-04T10:00:00Z' },
      { localAuthority: 'E06000901', name: 'Northshire North', clusters: 1, overdoses: 4, latestRaisedAt: '2025-03-02T10:00:00Z' },
    ]);
  });
});

describe('the review queue', () => {
  it('given cases of mixed priority and due dates, when ordered, then P1 first and the earliest due first within a priority', () => {
    const cases = [
      { id: 'c', priority: 'P2', dueOn: '2025-05-01', diedOn: '2025-04-01' },
      { id: 'a', priority: 'P1', dueOn: '2025-06-01', diedOn: '2025-05-01' },
      { id: 'b', priority: 'P1', dueOn: '2025-05-20', diedOn: '2025-04-20' },
      { id: 'd', priority: 'P3', dueOn: '2025-01-01', diedOn: '2024-12-01' },
    ];
    expect(orderQueue(cases).map((c) => c.id)).toEqual(['b', 'a', 'c', 'd']);
  });

  it('offers the next workflow steps: assign, then start, then findings, then close once findings exist', () => {
    expect(nextSteps({ status: 'open', findings: null })).toEqual(['assign']);
    expect(nextSteps({ status: 'assigned', findings: null })).toEqual(['assign', 'start']);
    expect(nextSteps({ status: 'in-review', findings: null })).toEqual(['findings']);
    expect(nextSteps({ status: 'in-review', findings: 'found' })).toEqual(['findings', 'close']);
    expect(nextSteps({ status: 'closed', findings: 'found' })).toEqual([]);
  });

  it('says a flag the agreements do not share is not shared, rather than "No"', () => {
    const answers = flagAnswers({ releasedWithin28Days: true, inTreatmentAtDeath: null, nearMissesLast12Months: 2 });
    expect(answers.find((a) => a.question.startsWith('Released from prison within 28'))).toMatchObject({ answer: 'Yes', shared: true });
    expect(answers.find((a) => a.question === 'In treatment at death')).toMatchObject({ answer: 'Not shared with you under the agreements', shared: false });
    expect(answers.find((a) => a.question.startsWith('Non-fatal overdoses'))).toMatchObject({ answer: '2', shared: true });
  });

  it('reads learning points one per line, ignoring blank lines and spaces', () => {
    expect(learningPointsOf(' First point \r\n\r\nSecond point\n  ')).toEqual(['First point', 'Second point']);
    expect(learningPointsOf(undefined)).toEqual([]);
  });
});

describe('field labels', () => {
  it('spells out values as a reader would: yes/no, lists, substance counts, none', () => {
    expect(fieldText(true)).toBe('Yes');
    expect(fieldText(null)).toBe('None');
    expect(fieldText([{ substance: 'heroin', count: 2 }, { substance: 'fentanyl', count: 1 }])).toBe('heroin (2), fentanyl (1)');
    expect(fieldText([{ substance: 'opiates', result: 'positive' }])).toBe('opiates: positive');
    expect(detailRows({ suspectedSubstances: ['heroin'], naloxoneAdministered: false })).toEqual([
      { key: 'Suspected substances', value: 'heroin' }, { key: 'Naloxone administered', value: 'No' },
    ]);
    expect(detailRows({ destinationLocalAuthority: 'E06000903' }, [{ code: 'E06000903', name: 'Corbury' }])).toEqual([{ key: 'Released to (local authority)', value: 'Corbury (E06000903)' }]);
  });
});

describe('agreementOverview', () => {
  const agencies = new Map<string, Agency>([
    ['probation-northshire', { id: 'probation-northshire', kind: 'probation', name: 'Probation' } as Agency],
    ['prison-hmp-northgate', { id: 'prison-hmp-northgate', kind: 'prison', name: 'HMP Northgate' } as Agency],
  ]);
  const agreement = (id: string, reviewOn: string, status: RegisteredAgreement['status'] = 'active'): RegisteredAgreement => ({
    id, title: id, version: 1, status, effectiveFrom: '2024-01-01', effectiveTo: '2028-12-31', reviewOn, respectsNationalDataOptOut: true,
    changedAt: '2024-01-01T00:00:00Z', changedBy: 'test',
    purposes: [{ purpose: 'continuity-of-care', lawfulBasis: 'Art 6(1)(e)', providers: ['prison-hmp-northgate'], recipients: ['probation-northshire'], eventTypes: ['prison.release.recorded.v1'], personLevel: true, retentionDays: 365, fields: ['releasedOn'] }],
  });

  it('given agreements, when shown to probation, then names agencies, marks what probation receives and flags reviews overdue or due within 90 days', () => {
    const rows = agreementOverview([agreement('later', '2027-06-01'), agreement('soon', '2026-02-01'), agreement('past', '2025-12-01'), agreement('draft', '2025-01-01', 'draft')],
      agencies, 'probation-northshire', '2026-01-10');
    expect(rows.map((r) => [r.id, r.inForce, r.review])).toEqual([
      ['past', true, 'overdue'], ['soon', true, 'due-soon'], ['later', true, 'later'], ['draft', false, 'overdue'],
    ]);
    expect(rows[0]!.clauses[0]).toMatchObject({ providers: ['HMP Northgate'], recipients: ['Probation'], youReceive: true, youProvide: false, fields: ['releasedOn'] });
  });

  it('marks what the viewer provides', () => {
    expect(agreementOverview([agreement('a', '2027-06-01')], agencies, 'prison-hmp-northgate', '2026-01-10').map((r) => [r.clauses[0]!.youProvide, r.clauses[0]!.youReceive])).toEqual([[true, false]]);
  });
});
