import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HubRuntime } from '../runtime/hub-runtime';
import { Public } from './public.decorator';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly hub: HubRuntime) {}

  /** Liveness and database reachability only: no data, so no token needed (load balancers and probes). */
  @Public()
  @Get()
  @ApiOperation({ summary: 'Is the hub up and its database reachable? Returns no data.' })
  async health(@Res() response: Response): Promise<void> {
    try {
      await this.hub.database.query('SELECT 1');
      response.status(HttpStatus.OK).json({ status: 'ok', database: 'up' });
    } catch {
      response.status(HttpStatus.SERVICE_UNAVAILABLE).json({ status: 'unavailable', database: 'down' });
    }
  }
}
