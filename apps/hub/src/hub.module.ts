import { type DynamicModule, type Provider, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { IngestEventsHandler, IngestPipeline } from '@hub/ingest';
import { ReadAccessService } from './access/read-access.service';
import { DashboardContext } from './dashboard/dashboard-context';
import { DashboardErrorFilter } from './dashboard/dashboard-error.filter';
import { AlertPagesController } from './dashboard/alert-pages.controller';
import { ContinuityPagesController } from './dashboard/continuity-pages.controller';
import { OverviewPagesController } from './dashboard/overview-pages.controller';
import { ReviewPagesController } from './dashboard/review-pages.controller';
import { SignInController } from './dashboard/sign-in.controller';
import { AuthGuard } from './http/auth.guard';
import { EventsController } from './http/events.controller';
import { HealthController } from './http/health.controller';
import { HttpExceptionFilter } from './http/http-exception.filter';
import { HubRuntime } from './runtime/hub-runtime';
import { AlertActionHandler } from './use-cases/alerts/alert-action.handler';
import { AlertsController } from './use-cases/alerts/alerts.controller';
import { ListAlertsHandler } from './use-cases/alerts/list-alerts.handler';
import { GetReviewHandler } from './use-cases/reviews/get-review.handler';
import { ListReviewsHandler } from './use-cases/reviews/list-reviews.handler';
import { ReviewActionHandler } from './use-cases/reviews/review-action.handler';
import { ReviewsController } from './use-cases/reviews/reviews.controller';
import { ContinuityController } from './use-cases/continuity/continuity.controller';
import { ContinuityReportHandler } from './use-cases/continuity/continuity-report.handler';
import { PendingEngagementsHandler } from './use-cases/continuity/pending-engagements.handler';
import { AgreementsController } from './use-cases/agreements/agreements.controller';
import { ChangeAgreementHandler } from './use-cases/agreements/change-agreement.handler';
import { ListAgreementsHandler } from './use-cases/agreements/list-agreements.handler';
import { AuditController } from './use-cases/audit/audit.controller';
import { ErasePersonHandler } from './use-cases/erasure/erase-person.handler';
import { RunRetentionHandler } from './use-cases/retention/run-retention.handler';
import { ImportOptOutHandler } from './use-cases/opt-out/import-opt-out.handler';
import { SubjectAccessHandler } from './use-cases/subject-access/subject-access.handler';
import { InitAreaHandler } from './use-cases/init-area/init-area.handler';
import { IssueTokenHandler } from './use-cases/issue-token/issue-token.handler';
import { DecideIdentityReviewHandler, ListIdentityReviewsHandler } from './use-cases/identity-reviews/identity-review.handlers';
import { IdentityReviewsController } from './use-cases/identity-reviews/identity-reviews.controller';

const dashboardPages = [OverviewPagesController, AlertPagesController, ContinuityPagesController, ReviewPagesController];

const handlers = [IngestEventsHandler, InitAreaHandler, IssueTokenHandler, ListAlertsHandler, AlertActionHandler,
  ListReviewsHandler, GetReviewHandler, ReviewActionHandler, ContinuityReportHandler, PendingEngagementsHandler,
  ChangeAgreementHandler, ListAgreementsHandler, ErasePersonHandler, RunRetentionHandler, ImportOptOutHandler, SubjectAccessHandler,
  ListIdentityReviewsHandler, DecideIdentityReviewHandler];

/** The hub's wiring. The runtime's services are built once (CLI or server) and provided as values. */
@Module({})
export class HubModule {
  static forRuntime(hub: HubRuntime, options: { http: boolean }): DynamicModule {
    const values: Provider[] = [
      { provide: HubRuntime, useValue: hub },
      { provide: IngestPipeline, useValue: hub.pipeline },
    ];
    const http: Provider[] = options.http
      ? [
          { provide: APP_GUARD, useClass: AuthGuard },
          { provide: APP_FILTER, useFactory: () => new HttpExceptionFilter(hub.logger) },
          DashboardContext, DashboardErrorFilter,
        ]
      : [];
    return {
      module: HubModule,
      imports: [CqrsModule.forRoot()],
      controllers: options.http
        ? [EventsController, HealthController, AlertsController, ReviewsController, ContinuityController, AgreementsController, AuditController, SignInController, IdentityReviewsController, ...dashboardPages]
        : [],
      providers: [...values, ReadAccessService, ...handlers, ...http],
    };
  }
}
