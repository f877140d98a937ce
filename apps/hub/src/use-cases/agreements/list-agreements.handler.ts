import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError, londonDateOf } from '@hub/kernel';
import { agreementList } from '@hub/sharing';
import { HubRuntime } from '../../runtime/hub-runtime';
import { agreementView, type AgreementView, partiesOf } from './agreement-view';
import { ListAgreementsQuery } from './list-agreements.query';

@QueryHandler(ListAgreementsQuery)
export class ListAgreementsHandler implements IQueryHandler<ListAgreementsQuery> {
  constructor(private readonly hub: HubRuntime) {}

  async execute({ principal, purpose, agreementId }: ListAgreementsQuery): Promise<AgreementView[]> {
    const today = londonDateOf(this.hub.clock.now());
    const admin = principal.role === 'hub-admin';
    const visible = agreementList(await this.hub.directories.current()).filter((agreement) => {
      if (agreementId !== undefined && agreement.id !== agreementId) return false;
      if (purpose !== 'data-protection') {
        return agreement.purposes.some((c) => c.purpose === purpose && (admin || c.providers.includes(principal.agencyId) || c.recipients.includes(principal.agencyId)));
      }
      return admin || partiesOf(agreement).has(principal.agencyId);
    });
    if (agreementId !== undefined && visible.length === 0) {
      throw new DomainError('AGREEMENT.NOT_FOUND', `agreement ${agreementId} does not exist or ${principal.agencyId} is not a party to it for ${purpose}`, { agreementId });
    }
    return visible.sort((a, b) => a.id.localeCompare(b.id)).map((agreement) => agreementView(agreement, today));
  }
}
