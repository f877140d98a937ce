import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type ContinuityReport, disclosureModes, reportDimensions } from '@hub/continuity';
import type { Purpose } from '@hub/kernel';
import type { Principal } from '@hub/security';
import { CurrentPrincipal } from '../../http/principal.decorator';
import { ReadPurpose } from '../../http/purpose.decorator';
import { ContinuityReportQuery } from './continuity-report.query';
import type { PresentedPendingEngagement } from './pending-engagements.handler';
import { PendingEngagementsQuery } from './pending-engagements.query';

@ApiTags('continuity-of-care')
@ApiBearerAuth()
@Controller('v1')
export class ContinuityController {
  constructor(private readonly queries: QueryBus) {}

  @Get('reports/continuity-of-care')
  @ApiHeader({ name: 'X-Purpose', description: 'continuity-of-care or aggregate-reporting (or ?purpose=)', required: false })
  @ApiOperation({ summary: 'Continuity of care (C20): releases in [from, to] engaged with community treatment within 21 days, as of an instant; disclosure control for aggregate recipients' })
  @ApiQuery({ name: 'from', required: true, example: '2025-01-01' })
  @ApiQuery({ name: 'to', required: true, example: '2025-12-31' })
  @ApiQuery({ name: 'groupBy', required: false, description: `comma-separated: ${reportDimensions.join(', ')}` })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO 8601 instant: only what had arrived by then counts' })
  @ApiQuery({ name: 'disclosure', required: false, enum: disclosureModes })
  report(@CurrentPrincipal() principal: Principal, @ReadPurpose() purpose: Purpose, @Query() query: Record<string, unknown>): Promise<ContinuityReport> {
    return this.queries.execute(new ContinuityReportQuery(principal, purpose, {
      from: query.from, to: query.to, groupBy: query.groupBy ?? query['group-by'], asOf: query.asOf ?? query['as-of'], disclosure: query.disclosure,
    }));
  }

  @Get('continuity/pending')
  @ApiHeader({ name: 'X-Purpose', description: 'continuity-of-care (or ?purpose=)', required: false })
  @ApiOperation({ summary: 'The caller\'s worklist: people released with a referral to it whose 21-day window is open and who have not engaged, most urgent first; logged as a disclosure' })
  pending(@CurrentPrincipal() principal: Principal, @ReadPurpose() purpose: Purpose): Promise<PresentedPendingEngagement[]> {
    return this.queries.execute(new PendingEngagementsQuery(principal, purpose));
  }
}
