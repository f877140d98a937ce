import { drugTest, timeline, treatmentStart } from '../../../timeline/test/timeline-builder';
import { drugTestPositiveRule } from './drug-test.rules';
import { sweepPerson } from './person-sweep';

const until = '2026-01-01T00:00:00Z';
const sweep = (...items: Parameters<typeof timeline>) => sweepPerson(timeline(...items), until, [drugTestPositiveRule]);

describe('DTOA_POSITIVE_NOT_IN_TREATMENT', () => {
  it.each([
    ['opiates', { opiates: 'positive', cocaine: 'negative' }],
    ['cocaine', { opiates: 'negative', cocaine: 'positive' }],
  ])('Given a test positive for %s and no open episode, Then a medium alert goes to the treatment service', (_, results) => {
    const test = drugTest('2025-05-02T14:00:00Z', results);
    const result = sweep(test);
    expect(result.raised.map((r) => [r.trigger.code, r.trigger.priority, r.raisedAt])).toEqual([['DTOA_POSITIVE_NOT_IN_TREATMENT', 'medium', test.knownAt]]);
    expect(result.raised[0]!.trigger.details).toMatchObject({ testedAt: '2025-05-02T14:00:00.000Z', drugTestResults: test.fact.results });
  });

  it.each([
    ['negative for both', { opiates: 'negative', cocaine: 'negative' }],
    ['refused', { opiates: 'refused', cocaine: 'refused' }],
    ['positive only for another drug', { opiates: 'negative', other: 'positive' }],
  ])('Given a test %s, Then nothing is raised', (_, results) => {
    expect(sweep(drugTest('2025-05-02T14:00:00Z', results)).raised).toEqual([]);
  });

  it('Given an open community episode on the day, Then nothing is raised', () => {
    expect(sweep(treatmentStart('2025-04-01'), drugTest('2025-05-02T14:00:00Z', { opiates: 'positive' })).raised).toEqual([]);
  });

  it('Given the alert, When treatment starts, Then it resolves itself', () => {
    const start = treatmentStart('2025-05-09');
    const result = sweep(drugTest('2025-05-02T14:00:00Z', { cocaine: 'positive' }), start);
    expect(result.resolved).toEqual([expect.objectContaining({ reason: 'treatment-started', resolvedAt: start.knownAt })]);
  });
});
