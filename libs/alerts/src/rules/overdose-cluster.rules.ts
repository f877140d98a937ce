import { type FactOf, knowledgeInstants, type RecordVersion, type Retraction, TimelineView } from '@hub/timeline';
import { noAudience, type AlertTrigger } from '../alert';
import { deterministicId } from '@hub/timeline';
import type { RaisedFinding, ResolvedFinding } from './person-sweep';

export const clusterWindowHours = 72;
export const clusterMinimumSize = 3;
const windowMs = clusterWindowHours * 3_600_000;

type Overdose = RecordVersion<FactOf<'overdose'>>;

/** A cluster already raised: its members, and the overdose that completed it (the anchor). */
export interface KnownCluster {
  readonly alertId: string;
  readonly members: readonly string[];
  readonly anchorAt: string;
}

interface Cluster {
  readonly alertId: string;
  readonly members: Set<string>;
  readonly anchorAt: number;
}

export interface ClusterSweep {
  readonly raised: readonly RaisedFinding[];
  readonly resolved: readonly ResolvedFinding[];
}

/**
 * OVERDOSE_CLUSTER for one local authority: 3+ non-fatal overdoses within a sliding 72 hours (by
 * when they happened). Swept over the instants the hub learnt of each record, like the person rules:
 * a cluster is raised once, when its third overdose becomes known. Overdoses within 72 hours of the
 * one that completed it (its anchor) join it rather than raise another, so a lasting outbreak raises
 * a new alert every 72 hours or so; a cluster resolves if retractions leave fewer than 3.
 * `known` seeds clusters raised before (the sweep may see only the records near the new ones).
 * Aggregate only: counts, substances and the window, never who.
 */
export function sweepClusters(
  localAuthority: string,
  records: { readonly versions: readonly RecordVersion[]; readonly retractions: readonly Retraction[] },
  known: readonly KnownCluster[] = [],
): ClusterSweep {
  const clusters: Cluster[] = known.map((c) => ({ alertId: c.alertId, members: new Set(c.members), anchorAt: Date.parse(c.anchorAt) }));
  const raised: RaisedFinding[] = [];
  const resolved: ResolvedFinding[] = [];
  const seen = new Set<string>();
  const open = new Set<string>(known.map((c) => c.alertId));
  for (const at of knowledgeInstants(records)) {
    const overdoses = overdosesIn(TimelineView.of(records, at), localAuthority);
    for (const version of records.versions) if (version.knownAt <= at) seen.add(version.key);
    const clusterOf = new Map<string, Cluster>();
    for (const cluster of clusters) for (const key of cluster.members) clusterOf.set(key, cluster);
    for (const overdose of overdoses) {
      if (clusterOf.has(overdose.key)) continue;
      const cluster = clusters.find((c) => Math.abs(c.anchorAt - instant(overdose)) <= windowMs);
      if (cluster) {
        cluster.members.add(overdose.key);
        clusterOf.set(overdose.key, cluster);
        continue;
      }
      const window = overdoses.filter((o) => !clusterOf.has(o.key) && instant(o) <= instant(overdose) && instant(overdose) - instant(o) <= windowMs);
      if (window.length < clusterMinimumSize) continue;
      const formed: Cluster = {
        alertId: deterministicId('OVERDOSE_CLUSTER', localAuthority, overdose.key), members: new Set(window.map((o) => o.key)), anchorAt: instant(overdose),
      };
      clusters.push(formed);
      for (const key of formed.members) clusterOf.set(key, formed);
      raised.push({ trigger: clusterTrigger(formed, localAuthority, window, overdose), raisedAt: at });
      open.add(formed.alertId);
    }
    const present = new Set(overdoses.map((o) => o.key));
    for (const cluster of clusters) {
      if (!open.has(cluster.alertId)) continue;
      // Members outside the records given (a seeded cluster) still count; those seen and gone do not.
      const gone = [...cluster.members].filter((key) => seen.has(key) && !present.has(key)).length;
      if (cluster.members.size - gone >= clusterMinimumSize) continue;
      resolved.push({ alertId: cluster.alertId, reason: 'record-retracted', resolvedAt: at });
      open.delete(cluster.alertId);
    }
  }
  return { raised, resolved };
}

function overdosesIn(view: TimelineView, localAuthority: string): Overdose[] {
  return view.ofKind('overdose').filter((o) => o.fact.localAuthority === localAuthority)
    .sort((a, b) => instant(a) - instant(b) || (a.key < b.key ? -1 : 1));
}

function instant(overdose: Overdose): number {
  return Date.parse(overdose.fact.occurredAt);
}

function clusterTrigger(cluster: Cluster, localAuthority: string, window: readonly Overdose[], last: Overdose): AlertTrigger {
  const substances = new Map<string, number>();
  for (const o of window) for (const s of new Set(o.fact.suspectedSubstances)) substances.set(s, (substances.get(s) ?? 0) + 1);
  return {
    alertId: cluster.alertId, code: 'OVERDOSE_CLUSTER', priority: 'high', purpose: 'near-miss-alerting', personLevel: false,
    triggers: window.map((o) => ({ recordKey: o.key, provider: o.provider, type: o.type })),
    localAuthority, occurredOn: last.fact.on,
    details: {
      localAuthority, count: window.length,
      suspectedSubstances: [...substances].sort(([a], [b]) => (a < b ? -1 : 1)).map(([substance, count]) => ({ substance, count })),
      naloxoneAdministered: window.filter((o) => o.fact.naloxoneAdministered).length,
      windowHours: clusterWindowHours, from: window[0]!.fact.occurredAt, to: last.fact.occurredAt,
    },
    audience: { ...noAudience, drugInformationPanel: true },
  };
}
