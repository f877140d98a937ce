import { DomainError, type Purpose } from '@hub/kernel';
import type { ReviewCaseView, ReviewFlagName, TimelineEntry } from '@hub/reviews';
import { type AccessGranted, redact } from '@hub/sharing';
import type { ReadAccessService, ReadAuthorization } from '../../access/read-access.service';

export const reviewPurpose: Purpose = 'drd-review';

export function requireReviewPurpose(purpose: Purpose): void {
  if (purpose !== reviewPurpose) {
    throw new DomainError('ACCESS.DENIED', `X-Purpose: the review queue is read for ${reviewPurpose}, not ${purpose}`);
  }
}

export type PresentedFlags = Record<ReviewFlagName | 'overdue', boolean | number | null>;

export interface PresentedReview {
  readonly id: string;
  readonly personRef: string;
  /** The person was erased (`hub erase`): the case stays, their personal data is gone. */
  readonly personErased: boolean;
  readonly diedOn: string;
  readonly priority: string;
  readonly status: string;
  readonly dueOn: string;
  readonly overdue: boolean;
  readonly flags: PresentedFlags;
  readonly reports: number;
  readonly assignee: string | null;
  readonly outcome: string | null;
}

/**
 * A case the caller may see: a person-level grant for every report of the death. Each flag is shown
 * only with a grant for every kind of record it was worked out from (else null: not shared).
 */
export function presentReview(review: ReviewCaseView, auth: ReadAuthorization, erased: ReadonlySet<string> = new Set()): { review: PresentedReview; grant: AccessGranted } | undefined {
  const grants = review.reports.map((r) => auth.grant(r.provider, 'police.suspected-drug-death.reported.v1'));
  if (grants.length === 0 || grants.some((g) => g === undefined || !g.personLevel)) return undefined;
  const flags = Object.fromEntries(Object.entries(review.flags).map(([name, value]) => {
    const sources = review.flagSources[name as ReviewFlagName] ?? [];
    return [name, sources.every(([provider, type]) => auth.grant(provider, type)?.personLevel) ? value : null];
  })) as PresentedFlags;
  return {
    grant: grants[0]!,
    review: {
      id: review.id, personRef: review.personRef, personErased: erased.has(review.personRef), diedOn: review.diedOn, priority: review.priority, status: review.status, dueOn: review.dueOn,
      overdue: review.flags.overdue, flags, reports: review.reports.length, assignee: review.assignee, outcome: review.outcome,
    },
  };
}

/** The timeline entries the agreements let the caller see, each redacted to its grant. */
export function presentTimeline(entries: readonly TimelineEntry[], personRef: string, auth: ReadAuthorization): { entries: TimelineEntry[]; byClause: Map<string, { grant: AccessGranted; fields: Set<string> }> } {
  const byClause = new Map<string, { grant: AccessGranted; fields: Set<string> }>();
  const shown = entries.flatMap((entry) => {
    const grant = auth.grant(entry.provider, entry.type);
    const fields = grant ? redact({ ...entry.fields, personRef }, grant) : null;
    if (!grant || !fields) return [];
    const { personRef: _ref, ...rest } = fields as Record<string, unknown>;
    const clause = byClause.get(grant.clause) ?? { grant, fields: new Set<string>(['personRef']) };
    for (const field of Object.keys(rest)) clause.fields.add(field);
    byClause.set(grant.clause, clause);
    return [{ ...entry, fields: rest }];
  });
  return { entries: shown, byClause };
}

export async function recordReviewDisclosure(access: ReadAccessService, auth: ReadAuthorization, grant: AccessGranted, personRefs: readonly string[], fields: readonly string[]): Promise<void> {
  await access.recordDisclosure(auth, grant, { personRefs, fields, channel: 'review' });
}
