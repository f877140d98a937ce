import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError, londonDateOf, type Purpose } from '@hub/kernel';
import type { Principal } from '@hub/security';
import { DisclosureLogRepository, isErasureEntry } from '@hub/sharing';
import { CurrentPrincipal } from '../http/principal.decorator';
import { DashboardSession } from '../http/session.decorator';
import { HubRuntime } from '../runtime/hub-runtime';
import { ListAgreementsQuery } from '../use-cases/agreements/list-agreements.query';
import { reviewPurpose } from '../use-cases/reviews/review-disclosure';
import { alertPurposes, continuityPurposes, DashboardContext } from './dashboard-context';
import { DashboardErrorFilter } from './dashboard-error.filter';
import { renderPage } from './views';
import { agreementOverview } from './view-models/agreement-overview';
import { fieldLabel, fieldText, purposeNames } from './view-models/labels';

/** The overview (what the agreements open to the signed-in agency), the agreements it is a party to, and its disclosure log. */
@ApiExcludeController()
@Controller('dashboard')
@DashboardSession()
@UseFilters(DashboardErrorFilter)
export class OverviewPagesController {
  constructor(private readonly queries: QueryBus, private readonly hub: HubRuntime, private readonly context: DashboardContext) {}

  @Get()
  async home(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response): Promise<void> {
    const readable = await this.context.readablePurposes(principal);
    const pages = [
      { title: 'Alerts', href: '/dashboard/alerts', purposes: alertPurposes, about: 'Near misses and people at risk of not engaging with treatment, sent to your agency; acknowledge them with a note. Includes overdose clusters by local authority.' },
      { title: 'Worklist', href: '/dashboard/worklist', purposes: ['continuity-of-care' as Purpose], about: 'People released to your service who have not yet engaged, with the days left in their 21-day window, most urgent first (treatment providers).' },
      { title: 'Continuity of care', href: '/dashboard/continuity', purposes: continuityPurposes, about: 'The rate of engagement within 21 days of release, by month against the 75% target: chart, table and CSV, as of any date.' },
      { title: 'Death review queue', href: '/dashboard/reviews', purposes: [reviewPurpose], about: 'Suspected drug-related deaths to review, by priority and due date, with the multi-agency timeline.' },
    ].map((page) => {
      const granted = page.purposes.filter((p) => readable.includes(p));
      return { ...page, granted: granted.map((p) => purposeNames[p]), shared: granted.length > 0, needed: page.purposes.map((p) => purposeNames[p]).join(' or ') };
    });
    renderPage(response, 'home.njk', { ...(await this.context.page(principal, request, 'home')), pages, readable: readable.map((p) => purposeNames[p]) });
  }

  /** The agreements API's read (`ListAgreementsQuery`, purpose data-protection): the agreements the agency is a party to. */
  @Get('agreements')
  async agreements(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response): Promise<void> {
    const agreements = await this.queries.execute(new ListAgreementsQuery(principal, 'data-protection'));
    const directory = await this.hub.directories.current();
    const today = londonDateOf(this.hub.clock.now());
    renderPage(response, 'agreements.njk', {
      ...(await this.context.page(principal, request, 'agreements')),
      today, agreements: agreementOverview(agreements, directory.agencies, principal.agencyId, today).map((a) => ({
        ...a, clauses: a.clauses.map((c) => ({ ...c, purposeName: purposeNames[c.purpose as Purpose] ?? c.purpose, fieldsText: c.fields === 'all' ? 'All fields of those records' : fieldText(c.fields) })),
      })),
    });
  }

  /**
   * The disclosure log for data protection officers (purpose data-protection), as `GET /v1/audit`
   * shows it: every disclosure made to the signed-in agency (the hub administrator: the whole log),
   * oldest first, a page at a time. Pseudonymous personRefs and field names only.
   */
  @Get('disclosures')
  async disclosures(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response, @Query('after') afterParam: unknown): Promise<void> {
    const after = afterParam === undefined || afterParam === '' ? 0 : Number(afterParam);
    if (!Number.isSafeInteger(after) || after < 0) throw new DomainError('REQUEST.INVALID_QUERY', `after: ${JSON.stringify(afterParam)} must be a whole number from 0`);
    const admin = principal.role === 'hub-admin';
    const entries = await new DisclosureLogRepository(this.hub.database).list({ afterSequence: after, limit: disclosurePage, ...(admin ? {} : { recipient: principal.agencyId }) });
    const directory = await this.hub.directories.current();
    renderPage(response, 'disclosures.njk', {
      ...(await this.context.page(principal, request, 'disclosures')),
      purposeName: 'data protection', admin,
      entries: entries.map((entry) => (isErasureEntry(entry)
        ? { sequence: entry.sequence, at: entry.at, erasure: true, personRefs: entry.personRefs }
        : { ...entry, recipientName: directory.agencies.get(entry.recipient)?.name ?? entry.recipient, purposeName: (purposeNames as Record<string, string>)[entry.purpose] ?? entry.purpose, fieldsText: entry.fields.map(fieldLabel).join(', ') })),
      after, next: entries.length === disclosurePage ? entries[entries.length - 1]!.sequence : undefined,
    });
  }
}

const disclosurePage = 100;
