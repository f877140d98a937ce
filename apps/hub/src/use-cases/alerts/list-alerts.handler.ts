import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AlertQueries } from '@hub/alerts';
import { ReadAccessService } from '../../access/read-access.service';
import { HubRuntime } from '../../runtime/hub-runtime';
import { type PresentedAlert, presentAlerts, recordAlertDisclosures } from './alert-disclosure';
import { ListAlertsQuery } from './list-alerts.query';

@QueryHandler(ListAlertsQuery)
export class ListAlertsHandler implements IQueryHandler<ListAlertsQuery> {
  constructor(private readonly hub: HubRuntime, private readonly access: ReadAccessService) {}

  async execute({ principal, purpose, filter }: ListAlertsQuery): Promise<PresentedAlert[]> {
    const auth = await this.access.authorize(principal, purpose);
    const alerts = await new AlertQueries(this.hub.database).list({ ...filter, recipient: auth.recipient, purpose });
    const visible = presentAlerts(alerts, auth, await this.access.erasedAmong(alerts.map((a) => a.personRef)));
    await recordAlertDisclosures(this.access, auth, visible);
    return visible.map((v) => v.alert);
  }
}
