import { addDays, type Agency, type Agreement, type LocalDate } from '@hub/kernel';

/** An agreement's review is "coming up" this many days ahead. */
export const reviewNoticeDays = 90;

export interface ClauseRow {
  readonly purpose: string;
  readonly providers: readonly string[];
  readonly recipients: readonly string[];
  readonly eventTypes: readonly string[];
  readonly personLevel: boolean;
  readonly fields: readonly string[] | 'all';
  readonly retentionDays: number;
  readonly lawfulBasis: string;
  /** The signed-in agency is a recipient under this clause. */
  readonly youReceive: boolean;
  /** The signed-in agency provides data under this clause. */
  readonly youProvide: boolean;
}

export interface AgreementOverview {
  readonly id: string;
  readonly title: string;
  readonly version: number;
  readonly status: string;
  readonly inForce: boolean;
  readonly effectiveFrom: LocalDate;
  readonly effectiveTo: LocalDate;
  readonly reviewOn: LocalDate;
  readonly review: 'overdue' | 'due-soon' | 'later';
  readonly respectsNationalDataOptOut: boolean;
  readonly clauses: readonly ClauseRow[];
}

/**
 * Who shares what with whom for which purpose, agreement by agreement (those the agreements API
 * lets the viewer see): in force first, then by the nearest review date. Agencies by name.
 */
export function agreementOverview(agreements: readonly Agreement[], agencies: ReadonlyMap<string, Agency>, viewer: string, today: LocalDate): AgreementOverview[] {
  const name = (id: string) => agencies.get(id)?.name ?? id;
  return agreements.map((a) => ({
    id: a.id, title: a.title, version: a.version, status: a.status,
    inForce: a.status === 'active' && a.effectiveFrom <= today && today <= a.effectiveTo,
    effectiveFrom: a.effectiveFrom, effectiveTo: a.effectiveTo, reviewOn: a.reviewOn,
    review: a.reviewOn < today ? 'overdue' as const : a.reviewOn <= addDays(today, reviewNoticeDays) ? 'due-soon' as const : 'later' as const,
    respectsNationalDataOptOut: a.respectsNationalDataOptOut,
    clauses: a.purposes.map((p) => ({
      purpose: p.purpose, providers: p.providers.map(name), recipients: p.recipients.map(name), eventTypes: [...p.eventTypes],
      personLevel: p.personLevel, fields: p.fields ? [...p.fields] : 'all' as const, retentionDays: p.retentionDays, lawfulBasis: p.lawfulBasis,
      youReceive: p.recipients.includes(viewer), youProvide: p.providers.includes(viewer),
    })),
  })).sort((x, y) => Number(y.inForce) - Number(x.inForce) || x.reviewOn.localeCompare(y.reviewOn) || x.id.localeCompare(y.id));
}
