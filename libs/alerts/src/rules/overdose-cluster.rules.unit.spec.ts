import { overdose, retraction } from '../../../timeline/test/timeline-builder';
import { sweepClusters } from './overdose-cluster.rules';

const la = 'E06000903';
const at = (hour: number) => new Date(Date.parse('2025-06-10T00:00:00Z') + hour * 3_600_000).toISOString();
const od = (hour: number, options: Parameters<typeof overdose>[1] = {}) => overdose(at(hour), { localAuthority: la, ...options });
const records = (...items: ReturnType<typeof od>[]) => ({ versions: items, retractions: [] });

describe('OVERDOSE_CLUSTER', () => {
  it('Given three overdoses in one local authority within 72 hours, Then one high cluster alert carries counts and substances but no person', () => {
    const third = od(70, { substances: ['heroin', 'nitazene'] });
    const result = sweepClusters(la, records(od(0, { substances: ['heroin'] }), od(30, { substances: ['nitazene'] }), third));
    expect(result.raised).toHaveLength(1);
    const { trigger, raisedAt } = result.raised[0]!;
    expect(raisedAt).toBe(third.knownAt);
    expect(trigger).toMatchObject({ code: 'OVERDOSE_CLUSTER', priority: 'high', personLevel: false, localAuthority: la, audience: { drugInformationPanel: true } });
    expect(trigger.details).toEqual({
      localAuthority: la, count: 3, naloxoneAdministered: 3, windowHours: 72, from: at(0), to: at(70),
      suspectedSubstances: [{ substance: 'heroin', count: 2 }, { substance: 'nitazene', count: 2 }],
    });
    expect(JSON.stringify(trigger.details)).not.toMatch(/person|nhs|name/i);
  });

  it('Given three overdoses spread over 73 hours, Then no cluster', () => {
    expect(sweepClusters(la, records(od(0), od(40), od(73))).raised).toEqual([]);
  });

  it('Given three overdoses within 72 hours in two local authorities, Then no cluster', () => {
    expect(sweepClusters(la, records(od(0), od(10), od(20, { localAuthority: 'E06000901' }))).raised).toEqual([]);
  });

  it('Given a cluster, When a fourth overdose follows within 72 hours, Then it joins the cluster rather than raising another', () => {
    expect(sweepClusters(la, records(od(0), od(10), od(20), od(60))).raised).toHaveLength(1);
  });

  it('Given a lasting outbreak, When three more overdoses come after the first cluster\'s 72 hours, Then a second cluster is raised', () => {
    const result = sweepClusters(la, records(od(0), od(10), od(20), od(100), od(110), od(120)));
    expect(result.raised.map((r) => r.trigger.details.from)).toEqual([at(0), at(100)]);
  });

  it('Given the third overdose reported late with an earlier time, Then the cluster is raised once, when it becomes known', () => {
    const late = od(5, { knownAt: at(90) });
    const result = sweepClusters(la, records(od(10), od(20), late));
    expect(result.raised.map((r) => r.raisedAt)).toEqual([at(90)]);
  });

  it('Given a cluster, When one of its three overdoses is retracted, Then it resolves', () => {
    const first = od(0);
    const result = sweepClusters(la, { versions: [first, od(10), od(20)], retractions: [retraction(first, at(30))] });
    expect(result.resolved).toEqual([{ alertId: result.raised[0]!.trigger.alertId, reason: 'record-retracted', resolvedAt: at(30) }]);
  });

  it('Given a cluster raised before, When more overdoses near it are swept, Then it is not raised again', () => {
    const members = [od(0), od(10), od(20)];
    const first = sweepClusters(la, records(...members)).raised[0]!;
    const again = sweepClusters(la, records(od(30), od(40)), [{ alertId: first.trigger.alertId, members: members.map((m) => m.key), anchorAt: at(20) }]);
    expect(again).toEqual({ raised: [], resolved: [] });
  });
});
