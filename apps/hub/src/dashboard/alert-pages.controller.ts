import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { alertCodes, AlertQueries, alertPriorities, parseAlertFilter } from '@hub/alerts';
import { DomainError, type Purpose } from '@hub/kernel';
import type { Principal } from '@hub/security';
import { ReadAccessService } from '../access/read-access.service';
import { CurrentPrincipal } from '../http/principal.decorator';
import { DashboardSession } from '../http/session.decorator';
import { HubRuntime } from '../runtime/hub-runtime';
import { AlertActionCommand } from '../use-cases/alerts/alert-action.command';
import { streamAlerts } from '../use-cases/alerts/alert-stream';
import { ListAlertsQuery } from '../use-cases/alerts/list-alerts.query';
import { alertPurposes, choosePurpose, DashboardContext, purposeItems } from './dashboard-context';
import { DashboardErrorFilter } from './dashboard-error.filter';
import { readYourWrite } from './read-your-write';
import { csrfTokenFor, requireCsrf, sessionTokenOf } from './session';
import { renderPage } from './views';
import { clusterSummary } from './view-models/cluster-summary';
import { alertTitles, detailRows, fieldLabel, purposeNames } from './view-models/labels';

const alertTabs = [
  { status: 'unacknowledged', label: 'To acknowledge' },
  { status: 'acknowledged', label: 'Acknowledged' },
  { status: 'closed', label: 'Closed or resolved' },
] as const;

/**
 * Alerts sent to the signed-in agency: lists by status, code and priority, a page per alert with the
 * acknowledge-with-a-note form, the live feed and overdose clusters per local authority. Reads go
 * through `ListAlertsQuery` (the API's handler: purpose check, redaction, disclosure log), actions
 * through `AlertActionCommand`.
 */
@ApiExcludeController()
@Controller('dashboard')
@DashboardSession()
@UseFilters(DashboardErrorFilter)
export class AlertPagesController {
  constructor(
    private readonly queries: QueryBus, private readonly commands: CommandBus, private readonly hub: HubRuntime,
    private readonly access: ReadAccessService, private readonly context: DashboardContext,
  ) {}

  @Get('alerts')
  async alerts(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const purpose = choosePurpose(query.purpose, alertPurposes, await this.context.readablePurposes(principal));
    const filter = parseAlertFilter({ status: query.status || 'unacknowledged', code: query.code, priority: query.priority });
    const { alerts } = await this.queries.execute(new ListAlertsQuery(principal, purpose, filter));
    const clusters = purpose === 'near-miss-alerting'
      ? (await this.queries.execute(new ListAlertsQuery(principal, purpose, { status: 'open', code: 'OVERDOSE_CLUSTER' }))).alerts
      : [];
    const directory = await this.hub.directories.current();
    const localAuthorities = directory.area?.localAuthorities ?? [];
    const laName = (code: string | null) => (code === null ? 'Not known' : localAuthorities.find((la) => la.code === code)?.name ?? code);
    const base = { purpose, code: filter.code ?? '', priority: filter.priority ?? '' };
    renderPage(response, 'alerts.njk', {
      ...(await this.context.page(principal, request, 'alerts')),
      purpose, purposeName: purposeNames[purpose], purposeItems: purposeItems(alertPurposes, purpose),
      status: filter.status,
      listHeading: alertTabs.find((t) => t.status === filter.status)?.label ?? `Alerts: ${filter.status}`,
      tabs: alertTabs.map((t) => ({ ...t, href: `/dashboard/alerts?${new URLSearchParams({ ...base, status: t.status })}`, current: t.status === filter.status })),
      codeItems: [{ value: '', text: 'Any alert' }, ...alertCodes.map((c) => ({ value: c, text: alertTitles[c], selected: c === filter.code }))],
      priorityItems: [{ value: '', text: 'Any priority' }, ...alertPriorities.map((p) => ({ value: p, text: p === 'high' ? 'High' : 'Medium', selected: p === filter.priority }))],
      alerts: alerts.map((a) => ({
        ...a, title: alertTitles[a.code], localAuthorityName: laName(a.localAuthority),
        acknowledgedBy: a.acknowledgements.map((x) => directory.agencies.get(x.by)?.name ?? x.by).join(', '),
      })),
      clusters: clusterSummary(clusters, localAuthorities),
      acknowledged: typeof query.acknowledged === 'string' ? query.acknowledged : undefined,
      streamUrl: `/dashboard/alerts/stream?${new URLSearchParams({ purpose })}`,
    });
  }

  /** The live feed for the alerts page: the API's alert stream (same checks, same disclosure log), authenticated by the session. */
  @Get('alerts/stream')
  async alertStream(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response, @Query('purpose') purpose: unknown): Promise<void> {
    const chosen = choosePurpose(purpose, alertPurposes, []);
    await streamAlerts(this.hub, this.access, (renewal) => this.access.authorize(principal, chosen, { renewal }), request, response, this.hub.logger);
  }

  @Get('alerts/:id')
  async alert(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response, @Param('id') id: string, @Query('purpose') purposeParam: unknown): Promise<void> {
    await this.renderAlert(principal, request, response, id, choosePurpose(purposeParam, alertPurposes, await this.context.readablePurposes(principal)), {});
  }

  @Post('alerts/:id/acknowledge')
  async acknowledge(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response, @Param('id') id: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireCsrf(request, csrfTokenFor(sessionTokenOf(request) ?? ''));
    const purpose = choosePurpose(body.purpose, alertPurposes, []);
    const note = typeof body.note === 'string' ? body.note : '';
    // The reader must still be allowed to see it: the same read as the page the form was on.
    await this.visibleAlert(principal, purpose, id);
    try {
      const { status } = await this.commands.execute(new AlertActionCommand('acknowledge', id, principal.agencyId, note));
      await readYourWrite(async () => (await new AlertQueries(this.hub.database).get(id))?.status === status);
    } catch (error) {
      if (!(error instanceof DomainError) || !error.code.startsWith('ALERT.NOTE')) throw error;
      await this.renderAlert(principal, request, response, id, purpose, { note, noteError: error.message }, 400);
      return;
    }
    response.redirect(303, `/dashboard/alerts?${new URLSearchParams({ purpose, acknowledged: id })}`);
  }

  private async visibleAlert(principal: Principal, purpose: Purpose, id: string) {
    const [alert] = (await this.queries.execute(new ListAlertsQuery(principal, purpose, { status: 'all', alertId: id }))).alerts;
    if (!alert) throw new DomainError('ALERT.NOT_FOUND', `id: no alert ${JSON.stringify(id)} for ${principal.agencyId} (${purpose})`);
    return alert;
  }

  private async renderAlert(principal: Principal, request: Request, response: Response, id: string, purpose: Purpose, form: Record<string, unknown>, status = 200): Promise<void> {
    const alert = await this.visibleAlert(principal, purpose, id);
    const directory = await this.hub.directories.current();
    const agencyName = (agencyId: string) => directory.agencies.get(agencyId)?.name ?? agencyId;
    const localAuthorityName = directory.area?.localAuthorities.find((la) => la.code === alert.localAuthority)?.name ?? alert.localAuthority ?? 'Not known';
    const summary = [
      { key: 'Status', value: alert.status.charAt(0).toUpperCase() + alert.status.slice(1) }, { key: 'Raised', value: `${alert.raisedAt.slice(0, 16).replace('T', ' ')} UTC` },
      { key: 'Person', value: alert.personRef ?? 'No person data (aggregate)' }, { key: 'Local authority', value: localAuthorityName },
      ...detailRows(alert.details, directory.area?.localAuthorities),
    ];
    const withheld = alert.withheld.map((field) => ({ key: { text: fieldLabel(field) }, value: { html: '<span class="app-not-shared">Not shared with you under the agreements</span>' } }));
    renderPage(response, 'alert.njk', {
      ...(await this.context.page(principal, request, 'alerts')),
      purpose, purposeName: purposeNames[purpose],
      alert: { ...alert, title: alertTitles[alert.code], acknowledgements: alert.acknowledgements.map((a) => ({ ...a, byName: agencyName(a.by) })) },
      summaryRows: [...summary.map((row) => ({ key: { text: row.key }, value: { text: row.value } })), ...withheld],
      canAcknowledge: alert.status === 'open' || alert.status === 'acknowledged',
      ...form,
    }, status);
  }
}
