import { Body, Controller, Get, HttpCode, Param, Post, Query, ValidationPipe } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Purpose } from '@hub/kernel';
import { parseReviewStatus, reviewStatusFilters } from '@hub/reviews';
import type { Principal } from '@hub/security';
import { CurrentPrincipal } from '../../http/principal.decorator';
import { ReadPurpose } from '../../http/purpose.decorator';
import { GetReviewQuery } from './get-review.query';
import { ListReviewsQuery } from './list-reviews.query';
import { ReviewActionCommand, type ReviewAction } from './review-action.command';
import { AssignReviewDto, ReviewFindingsDto } from './review-dtos';

const bodyPipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true });

@ApiTags('reviews')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Purpose', description: 'drd-review (or ?purpose=drd-review)', required: false })
@Controller('v1/reviews')
export class ReviewsController {
  constructor(private readonly queries: QueryBus, private readonly commands: CommandBus) {}

  @Get()
  @ApiOperation({ summary: 'The drug-related-death review queue: priority, due date, overdue, flags (each only where the agreement shares its sources)' })
  @ApiQuery({ name: 'status', required: false, enum: reviewStatusFilters })
  list(@CurrentPrincipal() principal: Principal, @ReadPurpose() purpose: Purpose, @Query('status') status?: string) {
    return this.queries.execute(new ListReviewsQuery(principal, purpose, parseReviewStatus(status)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One case with the 12-month multi-agency timeline before death, in date order, as the drd-review agreement permits (logged as a disclosure)' })
  get(@CurrentPrincipal() principal: Principal, @ReadPurpose() purpose: Purpose, @Param('id') id: string) {
    return this.queries.execute(new GetReviewQuery(principal, purpose, id));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign the case (open -> assigned)' })
  assign(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body(bodyPipe) body: AssignReviewDto) {
    return this.act(principal, id, { type: 'assign', assignee: body.assignee });
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start the review (assigned -> in-review)' })
  start(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.act(principal, id, { type: 'start' });
  }

  @Post(':id/findings')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record findings and learning points (in-review)' })
  findings(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body(bodyPipe) body: ReviewFindingsDto) {
    return this.act(principal, id, { type: 'findings', findings: body.findings, learningPoints: body.learningPoints });
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the case (in-review, with findings -> closed)' })
  close(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.act(principal, id, { type: 'close' });
  }

  private act(principal: Principal, id: string, action: ReviewAction) {
    return this.commands.execute(new ReviewActionCommand(principal, id, action));
  }
}
