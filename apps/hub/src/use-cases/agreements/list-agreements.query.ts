import { Query } from '@nestjs/cqrs';
import type { Principal } from '@hub/security';
import type { AgreementView } from './agreement-view';
import type { GovernancePurpose } from '../../http/purpose.decorator';

/**
 * Agreements the caller may see: the administrator sees all; an agency sees those it is a party
 * to (for a sharing purpose: only those with a clause of that purpose naming it).
 */
export class ListAgreementsQuery extends Query<AgreementView[]> {
  constructor(readonly principal: Principal, readonly purpose: GovernancePurpose, readonly agreementId?: string) {
    super();
  }
}
