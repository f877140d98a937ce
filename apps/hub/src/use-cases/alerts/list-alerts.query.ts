import { Query } from '@nestjs/cqrs';
import type { AlertFilter } from '@hub/alerts';
import type { Purpose } from '@hub/kernel';
import type { Principal } from '@hub/security';
import type { PresentedAlert } from './alert-disclosure';

/** A page of alerts: `next` is the cursor (`after`) of the page after it, null on the last page. */
export interface AlertPage {
  readonly alerts: PresentedAlert[];
  readonly next: string | null;
}

/** The caller's alerts for a purpose (only those sent to them), filtered by status, code and priority, a page at a time with `limit`. */
export class ListAlertsQuery extends Query<AlertPage> {
  constructor(
    readonly principal: Principal,
    readonly purpose: Purpose,
    readonly filter: Pick<AlertFilter, 'status' | 'code' | 'priority' | 'alertId' | 'changedAfter' | 'limit' | 'after'>,
  ) {
    super();
  }
}
