import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@hub/kernel';
import type { Principal } from '@hub/security';
import type { AgreementActor } from '@hub/sharing';
import { CurrentPrincipal } from '../../http/principal.decorator';
import { type GovernancePurpose, OversightPurpose } from '../../http/purpose.decorator';
import { newAgreementOf, reasonOf, revisedTermsOf } from './agreement-requests';
import type { AgreementView } from './agreement-view';
import { ChangeAgreementCommand } from './change-agreement.command';
import { ListAgreementsQuery } from './list-agreements.query';

const lifecycleActions = ['activate', 'suspend', 'terminate', 'expire'] as const;
type LifecycleAction = (typeof lifecycleActions)[number];

const actorOf = (principal: Principal): AgreementActor => ({ agencyId: principal.agencyId, admin: principal.role === 'hub-admin' });

@ApiTags('agreements')
@ApiBearerAuth()
@Controller('v1/agreements')
export class AgreementsController {
  constructor(private readonly queries: QueryBus, private readonly commands: CommandBus) {}

  @Get()
  @ApiHeader({ name: 'X-Purpose', description: 'data-protection (every agreement the caller is party to) or a sharing purpose (or ?purpose=)', required: true })
  @ApiOperation({ summary: 'Who shares what with whom, for which purpose: status, effective and review dates (the administrator sees all)' })
  list(@CurrentPrincipal() principal: Principal, @OversightPurpose({ sharing: true }) purpose: GovernancePurpose): Promise<AgreementView[]> {
    return this.queries.execute(new ListAgreementsQuery(principal, purpose));
  }

  @Get(':id')
  @ApiHeader({ name: 'X-Purpose', description: 'data-protection or a sharing purpose', required: true })
  @ApiOperation({ summary: 'One agreement the caller is party to' })
  async get(@CurrentPrincipal() principal: Principal, @OversightPurpose({ sharing: true }) purpose: GovernancePurpose, @Param('id') id: string): Promise<AgreementView> {
    return (await this.queries.execute(new ListAgreementsQuery(principal, purpose, id)))[0]!;
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a new agreement as a draft (hub administrator). Body: { agreement: {id, title, effectiveFrom, ...}, reason }' })
  @ApiBody({ schema: { type: 'object', required: ['agreement', 'reason'], properties: { agreement: { type: 'object' }, reason: { type: 'string' } } } })
  create(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.commands.execute(new ChangeAgreementCommand(actorOf(principal), { action: 'create', agreement: newAgreementOf(body) }, reasonOf(body)));
  }

  @Post(':id/versions')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new version with new terms (hub administrator). Body: { terms: {...}, reason }' })
  @ApiBody({ schema: { type: 'object', required: ['terms', 'reason'], properties: { terms: { type: 'object' }, reason: { type: 'string' } } } })
  revise(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: unknown) {
    return this.commands.execute(new ChangeAgreementCommand(actorOf(principal), { action: 'revise', agreementId: id, terms: revisedTermsOf(body) }, reasonOf(body)));
  }

  @Post(':id/:action')
  @HttpCode(200)
  @ApiParam({ name: 'action', enum: lifecycleActions })
  @ApiOperation({ summary: 'activate, suspend (any party may), terminate or expire an agreement. Body: { reason }' })
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } } })
  lifecycle(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Param('action') action: string, @Body() body: unknown) {
    if (!(lifecycleActions as readonly string[]).includes(action)) {
      throw new DomainError('REQUEST.UNKNOWN_ACTION', `${JSON.stringify(action)} is not an agreement action (one of ${lifecycleActions.join(', ')}, or versions)`);
    }
    return this.commands.execute(new ChangeAgreementCommand(actorOf(principal), { action: action as LifecycleAction, agreementId: id }, reasonOf(body)));
  }
}
