import { Query } from '@nestjs/cqrs';
import type { AlertFilter } from '@hub/alerts';
import type { Purpose } from '@hub/kernel';
import type { Principal } from '@hub/security';
import type { PresentedAlert } from './alert-disclosure';

/** The caller's alerts for a purpose (only those sent to them), filtered by status, code and priority. */
export class ListAlertsQuery extends Query<PresentedAlert[]> {
  constructor(
    readonly principal: Principal,
    readonly purpose: Purpose,
    readonly filter: Pick<AlertFilter, 'status' | 'code' | 'priority' | 'alertId' | 'changedAfter' | 'limit'>,
  ) {
    super();
  }
}
