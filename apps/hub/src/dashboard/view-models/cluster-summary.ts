import type { PresentedAlert } from '../../use-cases/alerts/alert-disclosure';

export interface ClusterRow {
  readonly localAuthority: string;
  readonly name: string;
  /** Open OVERDOSE_CLUSTER alerts in the local authority. */
  readonly clusters: number;
  /** Overdoses across those clusters (a person may be counted in two overlapping clusters). */
  readonly overdoses: number;
  readonly latestRaisedAt: string;
}

/**
 * A map-free summary of overdose clusters per local authority, from aggregate-only alerts (no
 * person data): most clusters first, then by name.
 */
export function clusterSummary(alerts: readonly PresentedAlert[], localAuthorities: readonly { code: string; name: string }[]): ClusterRow[] {
  const names = new Map(localAuthorities.map((la) => [la.code, la.name]));
  const rows = new Map<string, ClusterRow>();
  for (const alert of alerts) {
    if (alert.code !== 'OVERDOSE_CLUSTER' || alert.localAuthority === null) continue;
    const code = alert.localAuthority;
    const count = typeof alert.details.count === 'number' ? alert.details.count : 0;
    const row = rows.get(code) ?? { localAuthority: code, name: names.get(code) ?? code, clusters: 0, overdoses: 0, latestRaisedAt: alert.raisedAt };
    rows.set(code, {
      ...row, clusters: row.clusters + 1, overdoses: row.overdoses + count,
      latestRaisedAt: alert.raisedAt > row.latestRaisedAt ? alert.raisedAt : row.latestRaisedAt,
    });
  }
  return [...rows.values()].sort((a, b) => b.clusters - a.clusters || a.name.localeCompare(b.name));
}
