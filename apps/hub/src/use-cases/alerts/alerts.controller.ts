import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, ValidationPipe } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { alertCodes, alertPriorities, alertStatusFilters, maxAlertPage, parseAlertFilter } from '@hub/alerts';
import type { Purpose } from '@hub/kernel';
import type { Principal } from '@hub/security';
import { ReadAccessService } from '../../access/read-access.service';
import { CurrentPrincipal } from '../../http/principal.decorator';
import { ReadPurpose } from '../../http/purpose.decorator';
import { HubRuntime } from '../../runtime/hub-runtime';
import type { PresentedAlert } from './alert-disclosure';
import { AlertActionCommand } from './alert-action.command';
import { AlertNoteDto } from './alert-note.dto';
import { streamAlerts } from './alert-stream';
import { ListAlertsQuery } from './list-alerts.query';

const notePipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true });

@ApiTags('alerts')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Purpose', description: 'near-miss-alerting, or continuity-of-care for ENGAGEMENT_AT_RISK (or ?purpose=)', required: false })
@Controller('v1/alerts')
export class AlertsController {
  constructor(private readonly queries: QueryBus, private readonly commands: CommandBus, private readonly hub: HubRuntime, private readonly access: ReadAccessService) {}

  @Get()
  @ApiOperation({ summary: 'Alerts sent to the caller for the purpose, as the agreements allow today; each person-level alert shown is logged as a disclosure' })
  @ApiQuery({ name: 'status', required: false, enum: alertStatusFilters })
  @ApiQuery({ name: 'code', required: false, enum: alertCodes })
  @ApiQuery({ name: 'priority', required: false, enum: alertPriorities })
  @ApiQuery({ name: 'limit', required: false, description: `a page of at most this many (1 to ${maxAlertPage}); a full page has a \`Link: <...>; rel="next"\` header` })
  @ApiQuery({ name: 'after', required: false, description: 'the page after this alert (the cursor in the previous page\'s `Link` header)' })
  async list(
    @CurrentPrincipal() principal: Principal, @ReadPurpose() purpose: Purpose, @Query() query: Record<string, unknown>, @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PresentedAlert[]> {
    const page = await this.queries.execute(new ListAlertsQuery(principal, purpose, parseAlertFilter(query)));
    if (page.next !== null) {
      const next = new URL(request.originalUrl, 'http://hub');
      next.searchParams.set('after', page.next);
      response.setHeader('Link', `<${next.pathname}${next.search}>; rel="next"`);
    }
    return page.alerts;
  }

  @Get('stream')
  @ApiOperation({ summary: 'Server-sent events: the caller\'s alerts as they are raised or change (event `alert`; resume with Last-Event-ID)' })
  async stream(@CurrentPrincipal() principal: Principal, @ReadPurpose() purpose: Purpose, @Req() request: Request, @Res() response: Response): Promise<void> {
    await streamAlerts(this.hub, this.access, (renewal) => this.access.authorize(principal, purpose, { renewal }), request, response, this.hub.logger);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge an alert sent to the caller, with a note of what is being done' })
  acknowledge(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body(notePipe) body: AlertNoteDto) {
    return this.commands.execute(new AlertActionCommand('acknowledge', id, principal.agencyId, body.note));
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close an alert sent to the caller, with a note' })
  close(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body(notePipe) body: AlertNoteDto) {
    return this.commands.execute(new AlertActionCommand('close', id, principal.agencyId, body.note));
  }
}
