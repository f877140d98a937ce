import { addDays, type LocalDate } from '@hub/kernel';
import { coveredTypeOf, coversType, registeredAgreements, type PolicyAgreement } from '../policy/agreement-clauses';

/** One stored agency event, as retention sees it: who provided it, its type and its business date. */
export interface RetainedEvent {
  readonly provider: string;
  readonly eventType: string;
  readonly retractedType?: string;
  /** The day the fact happened (CloudEvents `time`, in Europe/London). */
  readonly occurredOn: LocalDate;
}

export type RetentionDecision =
  | { readonly kind: 'keep'; readonly retentionDays: number; readonly keepUntil: LocalDate }
  | { readonly kind: 'shred'; readonly retentionDays: number; readonly keepUntil: LocalDate }
  /** No agreement clause names this provider and type: kept, and counted so someone looks. */
  | { readonly kind: 'no-rule' };

/**
 * How long the hub holds an event: the longest `retentionDays` of the clauses it is held for (every
 * purpose of every agreement that was ever in force, i.e. not a draft, naming its provider and
 * covering its type). Past `occurredOn + retentionDays` (that day included) it is shredded.
 */
export function retentionOf(agreements: readonly PolicyAgreement[], event: RetainedEvent, today: LocalDate): RetentionDecision {
  const covered = coveredTypeOf(event.eventType, event.retractedType);
  const type = covered.ok ? covered.type : event.eventType;
  const days = registeredAgreements(agreements)
    .filter((agreement) => agreement.status !== 'draft')
    .flatMap((agreement) => agreement.purposes.map((terms) => ({ agreement, terms })))
    .filter((clause) => clause.terms.providers.includes(event.provider) && coversType(clause, type))
    .map((clause) => clause.terms.retentionDays);
  if (days.length === 0) return { kind: 'no-rule' };
  const retentionDays = Math.max(...days);
  const keepUntil = addDays(event.occurredOn, retentionDays);
  return { kind: today > keepUntil ? 'shred' : 'keep', retentionDays, keepUntil };
}
