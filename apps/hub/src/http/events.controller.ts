import { Controller, Headers, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, type RejectionCode } from '@hub/kernel';
import { IngestEventsCommand, type IngestInput, type IngestOutcome, parseNdjsonLine, summarise } from '@hub/ingest';
import type { AuthenticatedRequest } from './auth.guard';

export const maxBatchEvents = 1000;
export const maxBodyBytes = 5 * 1024 * 1024;

const singleTypes = ['application/cloudevents+json'];
const batchTypes = ['application/cloudevents-batch+json', 'application/x-ndjson'];

const statusForRejection: Record<RejectionCode, number> = {
  SCHEMA_INVALID: HttpStatus.UNPROCESSABLE_ENTITY,
  UNKNOWN_TYPE: HttpStatus.UNPROCESSABLE_ENTITY,
  UNKNOWN_SOURCE: HttpStatus.UNPROCESSABLE_ENTITY,
  NOT_PERMITTED: HttpStatus.FORBIDDEN,
  SOURCE_MISMATCH: HttpStatus.FORBIDDEN,
  ID_REUSED: HttpStatus.CONFLICT,
};

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Publish CloudEvents (single or batch)',
    description: 'Single: application/cloudevents+json (or application/json with an object). Batch: application/cloudevents-batch+json (a JSON array), application/x-ndjson, or application/json with an array. At most 1000 events and 5 MB per request. The authenticated agency must equal each event\'s source.',
  })
  @ApiConsumes(...singleTypes, ...batchTypes, 'application/json')
  @ApiBody({ schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] } })
  @ApiResponse({ status: 202, description: 'Single event accepted' })
  @ApiResponse({ status: 200, description: 'Single duplicate, or batch results (one per event, in order)' })
  @ApiResponse({ status: 422, description: 'Rejected: SCHEMA_INVALID, UNKNOWN_TYPE, UNKNOWN_SOURCE' })
  @ApiResponse({ status: 403, description: 'Rejected: NOT_PERMITTED, SOURCE_MISMATCH' })
  @ApiResponse({ status: 409, description: 'Rejected: ID_REUSED' })
  async publish(@Req() request: AuthenticatedRequest, @Headers('content-type') contentType: string | undefined, @Res() response: Response): Promise<void> {
    const body = typeof request.body === 'string' ? request.body : '';
    const { inputs, batch } = parseBody(body, mediaType(contentType));
    if (inputs.length > maxBatchEvents) {
      throw new DomainError('INGEST.BATCH_TOO_LARGE', `The batch has ${inputs.length} events; the limit is ${maxBatchEvents} per request`);
    }
    const outcomes = await this.commands.execute(new IngestEventsCommand(inputs, { channel: 'http', publisher: request.principal.agencyId }));
    if (batch) {
      response.status(HttpStatus.OK).json({ ...summarise(outcomes), results: outcomes.map((outcome, index) => ({ index, ...outcome })) });
      return;
    }
    const outcome = outcomes[0]!;
    response.status(statusOf(outcome)).json(outcome);
  }
}

function statusOf(outcome: IngestOutcome): number {
  if (outcome.status === 'accepted') return HttpStatus.ACCEPTED;
  if (outcome.status === 'duplicate') return HttpStatus.OK;
  return statusForRejection[outcome.code];
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function parseBody(body: string, type: string): { inputs: IngestInput[]; batch: boolean } {
  if (type === 'application/x-ndjson') {
    return { inputs: body.split('\n').filter((line) => line.trim() !== '').map(parseNdjsonLine), batch: true };
  }
  if (![...singleTypes, ...batchTypes, 'application/json'].includes(type)) {
    throw new DomainError('INGEST.UNSUPPORTED_MEDIA_TYPE', `Content-Type: ${JSON.stringify(type || '(missing)')} is not accepted; use application/cloudevents+json, application/cloudevents-batch+json or application/x-ndjson`);
  }
  const parsed = parseNdjsonLine(body);
  if (parsed.kind === 'unparseable') return { inputs: [parsed], batch: type === 'application/cloudevents-batch+json' };
  if (Array.isArray(parsed.value)) return { inputs: parsed.value.map((value) => ({ kind: 'parsed', value })), batch: true };
  if (type === 'application/cloudevents-batch+json') {
    throw new DomainError('INGEST.BATCH_NOT_ARRAY', 'The body of an application/cloudevents-batch+json request must be a JSON array of events');
  }
  return { inputs: [parsed], batch: false };
}
