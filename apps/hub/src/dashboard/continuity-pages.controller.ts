import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type ContinuityReport, reportCsv } from '@hub/continuity';
import { londonDateOf, type Purpose } from '@hub/kernel';
import type { Principal } from '@hub/security';
import { ReadAccessService } from '../access/read-access.service';
import { CurrentPrincipal } from '../http/principal.decorator';
import { DashboardSession } from '../http/session.decorator';
import { HubRuntime } from '../runtime/hub-runtime';
import { ContinuityReportQuery } from '../use-cases/continuity/continuity-report.query';
import { PendingEngagementsQuery } from '../use-cases/continuity/pending-engagements.query';
import { choosePurpose, continuityPurposes, DashboardContext, purposeItems } from './dashboard-context';
import { DashboardErrorFilter } from './dashboard-error.filter';
import { renderPage } from './views';
import {
  chartPoints, type ContinuityFilters, continuityFilterDimensions, defaultPeriod, endOfLondonDay, monthRows, parseFilters,
} from './view-models/continuity-view';
import { purposeNames } from './view-models/labels';
import { continuityTarget, rateChart } from './view-models/rate-chart';

const substanceGroups = ['opiate', 'non-opiate-only', 'non-opiate-and-alcohol', 'alcohol-only'] as const;

/**
 * Continuity of care (the report by month against the 75% target, CSV) and a treatment provider's
 * worklist, through the API's `ContinuityReportQuery` and `PendingEngagementsQuery`.
 */
@ApiExcludeController()
@Controller('dashboard')
@DashboardSession()
@UseFilters(DashboardErrorFilter)
export class ContinuityPagesController {
  constructor(private readonly queries: QueryBus, private readonly hub: HubRuntime, private readonly access: ReadAccessService, private readonly context: DashboardContext) {}

  @Get('continuity')
  async continuity(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const read = await this.continuityReport(principal, query);
    const directory = await this.hub.directories.current();
    const rows = monthRows(read.report, read.filters, continuityTarget);
    const options = await this.continuityOptions();
    const name = (dimension: string, value: string) => options.names[dimension]?.get(value) ?? value;
    const params = new URLSearchParams({
      purpose: read.purpose, from: read.report.from, to: read.report.to, ...(read.asOfDate ? { asOf: read.asOfDate } : {}),
      ...(read.disclosure === 'published' ? { disclosure: 'published' } : {}), ...read.filters,
    });
    renderPage(response, 'continuity.njk', {
      ...(await this.context.page(principal, request, 'continuity')),
      purpose: read.purpose, purposeName: purposeNames[read.purpose], purposeItems: purposeItems(continuityPurposes, read.purpose),
      from: read.report.from, to: read.report.to, asOfDate: read.asOfDate ?? '', asOf: read.report.asOf,
      controlled: read.controlled, disclosureChosen: read.disclosure === 'published',
      filterSelects: continuityFilterDimensions.map((dimension) => ({
        dimension, label: { prisonId: 'Prison', localAuthority: 'Local authority', substanceGroup: 'Substance group' }[dimension],
        items: [{ value: '', text: 'All' }, ...options.values[dimension].map((value) => ({ value, text: name(dimension, value), selected: read.filters[dimension] === value }))],
      })),
      filterText: Object.entries(read.filters).map(([dimension, value]) => name(dimension, value)).join(', '),
      rows, chart: rateChart(chartPoints(rows)), targetPercent: Math.round(continuityTarget * 100),
      csvUrl: `/dashboard/continuity/report.csv?${params}`, areaName: directory.area?.name,
    });
  }

  /** The same report as the page shows, as CSV (RFC 4180), for download. */
  @Get('continuity/report.csv')
  async continuityCsv(@CurrentPrincipal() principal: Principal, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const read = await this.continuityReport(principal, query);
    const groupBy = ['month', ...Object.keys(read.filters)];
    const rows = read.report.rows.filter((row) => Object.entries(read.filters).every(([dimension, value]) => row.group[dimension] === value));
    response.set({
      'Content-Type': 'text/csv; charset=utf-8', 'Cache-Control': 'no-store',
      'Content-Disposition': `attachment; filename="continuity-of-care-${read.report.from}-to-${read.report.to}.csv"`,
    }).send(reportCsv({ ...read.report, rows }, groupBy));
  }

  @Get('worklist')
  async worklist(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response): Promise<void> {
    const people = await this.queries.execute(new PendingEngagementsQuery(principal, 'continuity-of-care'));
    const options = await this.continuityOptions();
    renderPage(response, 'worklist.njk', {
      ...(await this.context.page(principal, request, 'worklist')),
      purposeName: purposeNames['continuity-of-care'],
      people: [...people].sort((a, b) => a.daysLeft - b.daysLeft || a.releasedOn.localeCompare(b.releasedOn) || a.personRef.localeCompare(b.personRef)).map((p) => ({
        ...p, prisonName: options.names.prisonId?.get(p.prisonId) ?? p.prisonId, localAuthorityName: options.names.localAuthority?.get(p.localAuthority) ?? p.localAuthority,
        urgency: p.daysLeft <= 3 ? 'red' : p.daysLeft <= 7 ? 'orange' : 'blue',
      })),
    });
  }

  private async continuityReport(principal: Principal, query: Record<string, unknown>): Promise<{
    purpose: Purpose; report: ContinuityReport; filters: ContinuityFilters; asOfDate: string | undefined; controlled: boolean; disclosure: 'published' | 'none';
  }> {
    const purpose = choosePurpose(query.purpose, continuityPurposes, await this.context.readablePurposes(principal));
    const auth = await this.access.authorize(principal, purpose);
    const controlled = purpose === 'aggregate-reporting' || !auth.personLevel;
    const filters = parseFilters(query, (await this.continuityOptions()).values);
    const period = defaultPeriod(londonDateOf(this.hub.clock.now()));
    const asOfDate = typeof query.asOf === 'string' && query.asOf !== '' ? query.asOf : undefined;
    const disclosure = controlled || query.disclosure === 'published' ? 'published' : 'none';
    const report = await this.queries.execute(new ContinuityReportQuery(principal, purpose, {
      from: query.from || period.from, to: query.to || period.to, groupBy: ['month', ...Object.keys(filters)],
      ...(asOfDate ? { asOf: endOfLondonDay(asOfDate) } : {}), disclosure,
    }));
    return { purpose, report, filters, asOfDate, controlled, disclosure };
  }

  /** The values the continuity filters offer: the area's prisons and local authorities, the catalogue's substance groups. */
  private async continuityOptions(): Promise<{ values: Record<(typeof continuityFilterDimensions)[number], string[]>; names: Record<string, Map<string, string>> }> {
    const directory = await this.hub.directories.current();
    const prisons = [...directory.agencies.values()].flatMap((a) => (a.kind === 'prison' && a.prisonId ? [[a.prisonId, a.name] as const] : []));
    const localAuthorities = (directory.area?.localAuthorities ?? []).map((la) => [la.code, la.name] as const);
    return {
      values: { prisonId: prisons.map(([id]) => id), localAuthority: localAuthorities.map(([code]) => code), substanceGroup: [...substanceGroups] },
      names: { prisonId: new Map(prisons), localAuthority: new Map(localAuthorities) },
    };
  }
}
