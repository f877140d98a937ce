import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError, londonDateOf } from '@hub/kernel';
import { parseReviewStatus, ReviewQueries } from '@hub/reviews';
import type { Principal } from '@hub/security';
import { CurrentPrincipal } from '../http/principal.decorator';
import { DashboardSession } from '../http/session.decorator';
import { HubRuntime } from '../runtime/hub-runtime';
import { GetReviewQuery } from '../use-cases/reviews/get-review.query';
import { ListReviewsQuery } from '../use-cases/reviews/list-reviews.query';
import { ReviewActionCommand, type ReviewAction } from '../use-cases/reviews/review-action.command';
import { reviewPurpose } from '../use-cases/reviews/review-disclosure';
import { DashboardContext } from './dashboard-context';
import { DashboardErrorFilter } from './dashboard-error.filter';
import { readYourWrite } from './read-your-write';
import { csrfTokenFor, requireCsrf, sessionTokenOf } from './session';
import { renderPage } from './views';
import { detailRows, purposeNames } from './view-models/labels';
import { flagAnswers, learningPointsOf, nextSteps, orderQueue, type ReviewStep } from './view-models/review-queue';

const reviewTabs = [{ status: 'open', label: 'Open cases' }, { status: 'closed', label: 'Closed cases' }, { status: 'all', label: 'All cases' }] as const;

/**
 * The drug-related-death review queue and case pages, read for drd-review through the API's query
 * handlers; the workflow (assign, start, findings, close) through `ReviewActionCommand`.
 */
@ApiExcludeController()
@Controller('dashboard')
@DashboardSession()
@UseFilters(DashboardErrorFilter)
export class ReviewPagesController {
  constructor(private readonly queries: QueryBus, private readonly commands: CommandBus, private readonly hub: HubRuntime, private readonly context: DashboardContext) {}

  @Get('reviews')
  async reviews(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response, @Query('status') statusParam: unknown): Promise<void> {
    const status = parseReviewStatus(statusParam) ?? 'open';
    const reviews = orderQueue(await this.queries.execute(new ListReviewsQuery(principal, reviewPurpose, status)));
    renderPage(response, 'reviews.njk', {
      ...(await this.context.page(principal, request, 'reviews')),
      purposeName: purposeNames[reviewPurpose], status,
      tabs: reviewTabs.map((t) => ({ ...t, href: `/dashboard/reviews?status=${t.status}`, current: t.status === status })),
      reviews: reviews.map((r) => ({ ...r, flagsShown: flagAnswers(r.flags).filter((f) => f.shared && f.answer !== 'No' && f.answer !== '0') })),
      overdue: reviews.filter((r) => r.overdue).length,
    });
  }

  @Get('reviews/:id')
  async review(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response, @Param('id') id: string, @Query('done') done: unknown): Promise<void> {
    await this.renderReview(principal, request, response, id, { done: typeof done === 'string' ? done : undefined });
  }

  @Post('reviews/:id/:step')
  async reviewStep(@CurrentPrincipal() principal: Principal, @Req() request: Request, @Res() response: Response, @Param('id') id: string, @Param('step') step: string, @Body() body: Record<string, unknown>): Promise<void> {
    requireCsrf(request, csrfTokenFor(sessionTokenOf(request) ?? ''));
    const action = reviewActionOf(step, body);
    try {
      const { status } = await this.commands.execute(new ReviewActionCommand(principal, id, action));
      const today = londonDateOf(this.hub.clock.now());
      await readYourWrite(async () => {
        const review = await new ReviewQueries(this.hub.database).get(id, today);
        return review?.status === status && (action.type !== 'findings' || review.findings === action.findings.trim());
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code.startsWith('ACCESS.') || error.code.endsWith('NOT_FOUND')) throw error;
      await this.renderReview(principal, request, response, id, { form: body, formError: { step, message: error.message } }, 400);
      return;
    }
    response.redirect(303, `/dashboard/reviews/${encodeURIComponent(id)}?done=${step}`);
  }

  private async renderReview(principal: Principal, request: Request, response: Response, id: string, extra: Record<string, unknown>, status = 200): Promise<void> {
    const review = await this.queries.execute(new GetReviewQuery(principal, reviewPurpose, id));
    const directory = await this.hub.directories.current();
    renderPage(response, 'review.njk', {
      ...(await this.context.page(principal, request, 'reviews')),
      purposeName: purposeNames[reviewPurpose],
      review, flags: flagAnswers(review.flags), steps: Object.fromEntries(nextSteps(review).map((s: ReviewStep) => [s, true])),
      timeline: review.timeline.map((entry) => ({
        ...entry, providerName: directory.agencies.get(entry.provider)?.name ?? entry.provider, what: recordTitles[entry.type] ?? entry.type, details: detailRows(entry.fields, directory.area?.localAuthorities),
      })),
      ...extra,
    }, status);
  }
}

const recordTitles: Readonly<Record<string, string>> = {
  'prison.release.recorded.v1': 'Released from prison', 'prison.reception.recorded.v1': 'Received into prison',
  'treatment.referral.received.v1': 'Referred to treatment', 'treatment.started.v1': 'Started treatment', 'treatment.discharged.v1': 'Discharged from treatment',
  'probation.supervision.started.v1': 'Probation supervision started', 'probation.supervision.ended.v1': 'Probation supervision ended',
  'police.drug-test-on-arrest.recorded.v1': 'Drug test on arrest', 'police.suspected-drug-death.reported.v1': 'Suspected drug-related death reported',
  'nhs.non-fatal-overdose.recorded.v1': 'Non-fatal overdose', 'coroner.inquest.concluded.v1': 'Inquest concluded',
};

function reviewActionOf(step: string, body: Record<string, unknown>): ReviewAction {
  switch (step) {
    case 'assign': return { type: 'assign', assignee: typeof body.assignee === 'string' ? body.assignee : '' };
    case 'start': return { type: 'start' };
    case 'findings': return { type: 'findings', findings: typeof body.findings === 'string' ? body.findings : '', learningPoints: learningPointsOf(body.learningPoints) };
    case 'close': return { type: 'close' };
    default: throw new DomainError('REQUEST.UNKNOWN_STEP', `step: ${JSON.stringify(step)} is not assign, start, findings or close`);
  }
}
