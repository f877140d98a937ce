import type { RecordVersion, Retraction } from '@hub/timeline';
import { drugTest, overdose, reception, release, retraction, timeline, treatmentStart } from '../../../timeline/test/timeline-builder';
import { sweepPerson } from './person-sweep';

/** A year in one person's life, with corrections of knowledge along the way. */
function story(): (RecordVersion | Retraction)[] {
  const firstOverdose = overdose('2025-03-08T22:00:00Z');
  return [
    release('2025-03-03'), firstOverdose, overdose('2025-03-20T02:00:00Z'), retraction(firstOverdose, '2025-03-21T09:00:00Z'),
    drugTest('2025-04-02T12:00:00Z', { opiates: 'positive' }), treatmentStart('2025-04-10', { knownAt: '2025-04-15T09:00:00Z' }),
    reception('2025-06-01'), release('2025-07-01'), overdose('2025-07-04T23:30:00Z'),
  ];
}

describe('sweepPerson', () => {
  it('decides the same alerts, raised and resolved at the same instants, however often and whenever it runs', () => {
    const items = story();
    const all = sweepPerson(timeline(...items), '2026-01-01T00:00:00Z');
    expect(all.raised.map((r) => r.trigger.code)).toEqual(expect.arrayContaining([
      'ENGAGEMENT_AT_RISK', 'POST_RELEASE_OVERDOSE', 'OVERDOSE_NOT_IN_TREATMENT', 'REPEAT_OVERDOSE', 'DTOA_POSITIVE_NOT_IN_TREATMENT',
    ]));
    // Live: run again after each fact arrives (in arrival order) and at every midnight; keep the first decision per id.
    const arrivals = [...items].sort((a, b) => (a.knownAt < b.knownAt ? -1 : 1));
    const raised = new Map<string, string>();
    const resolved = new Map<string, string>();
    const midnights = Array.from({ length: 300 }, (_, day) => new Date(Date.parse('2025-03-01T00:00:00Z') + day * 86_400_000).toISOString());
    for (const until of [...arrivals.map((a) => a.knownAt), ...midnights].sort()) {
      const known = arrivals.filter((a) => a.knownAt <= until);
      const result = sweepPerson(timeline(...known), until);
      for (const r of result.raised) if (!raised.has(r.trigger.alertId)) raised.set(r.trigger.alertId, r.raisedAt);
      for (const r of result.resolved) if (!resolved.has(r.alertId)) resolved.set(r.alertId, r.resolvedAt);
    }
    expect(raised).toEqual(new Map(all.raised.map((r) => [r.trigger.alertId, r.raisedAt])));
    expect(resolved).toEqual(new Map(all.resolved.map((r) => [r.alertId, r.resolvedAt])));
  });

  it('gives each trigger one id: the same facts swept twice give the same ids', () => {
    const items = story();
    const ids = (result: ReturnType<typeof sweepPerson>) => result.raised.map((r) => r.trigger.alertId);
    expect(ids(sweepPerson(timeline(...items), '2026-01-01T00:00:00Z'))).toEqual(ids(sweepPerson(timeline(...items), '2026-01-01T00:00:00Z')));
    expect(new Set(ids(sweepPerson(timeline(...items), '2026-01-01T00:00:00Z'))).size).toBe(sweepPerson(timeline(...items), '2026-01-01T00:00:00Z').raised.length);
  });
});
