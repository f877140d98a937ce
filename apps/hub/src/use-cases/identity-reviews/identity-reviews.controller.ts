import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@hub/security';
import { CurrentPrincipal } from '../../http/principal.decorator';
import { IdentityReviewPurpose } from './identity-review.access';
import { DecideIdentityReviewCommand, ListIdentityReviewsQuery } from './identity-review.messages';

@ApiTags('identity')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Purpose', description: 'identity-resolution (or ?purpose=identity-resolution)', required: false })
@Controller('v1/identity/reviews')
export class IdentityReviewsController {
  constructor(private readonly queries: QueryBus, private readonly commands: CommandBus) {}

  @Get()
  @ApiOperation({ summary: 'The clerical review queue of person links (hub administrator): pairs with their comparison levels and weights, no personal values' })
  list(@CurrentPrincipal() principal: Principal, @IdentityReviewPurpose() _purpose: string) {
    return this.queries.execute(new ListIdentityReviewsQuery(principal));
  }

  @Post(':pairId/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Link the pair (hub administrator)' })
  accept(@CurrentPrincipal() principal: Principal, @Param('pairId') pairId: string, @Body() body: { note?: unknown } = {}) {
    return this.commands.execute(new DecideIdentityReviewCommand(principal, pairId, 'accept', noteOf(body)));
  }

  @Post(':pairId/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Keep the pair apart, unlinking it if linked (hub administrator)' })
  reject(@CurrentPrincipal() principal: Principal, @Param('pairId') pairId: string, @Body() body: { note?: unknown } = {}) {
    return this.commands.execute(new DecideIdentityReviewCommand(principal, pairId, 'reject', noteOf(body)));
  }
}

function noteOf(body: { note?: unknown } | undefined): string | undefined {
  return typeof body?.note === 'string' && body.note.trim() ? body.note.trim().slice(0, 500) : undefined;
}
