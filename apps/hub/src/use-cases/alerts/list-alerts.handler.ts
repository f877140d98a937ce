import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AlertQueries } from '@hub/alerts';
import { DomainError } from '@hub/kernel';
import { ReadAccessService } from '../../access/read-access.service';
import { HubRuntime } from '../../runtime/hub-runtime';
import { presentAlerts, recordAlertDisclosures } from './alert-disclosure';
import { type AlertPage, ListAlertsQuery } from './list-alerts.query';

@QueryHandler(ListAlertsQuery)
export class ListAlertsHandler implements IQueryHandler<ListAlertsQuery> {
  constructor(private readonly hub: HubRuntime, private readonly access: ReadAccessService) {}

  async execute({ principal, purpose, filter }: ListAlertsQuery): Promise<AlertPage> {
    const auth = await this.access.authorize(principal, purpose);
    const queries = new AlertQueries(this.hub.database);
    const mine = { recipient: auth.recipient, purpose };
    if (filter.after !== undefined && (await queries.list({ ...mine, alertId: filter.after, limit: 1 })).length === 0) {
      throw new DomainError('REQUEST.INVALID_FILTER', `after: ${JSON.stringify(filter.after)} is not an alert sent to you for ${purpose}`);
    }
    const alerts = await queries.list({ ...filter, ...mine });
    const visible = presentAlerts(alerts, auth, await this.access.erasedAmong(alerts.map((a) => a.personRef)));
    await recordAlertDisclosures(this.access, auth, visible);
    // A full page may have more after it; the cursor is the page's last alert (one sent to the caller, shown or not).
    const next = filter.limit !== undefined && alerts.length === filter.limit ? alerts[alerts.length - 1]!.id : null;
    return { alerts: visible.map((v) => v.alert), next };
  }
}
