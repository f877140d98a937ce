import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { IngestOutcome } from '../ingest-outcome';
import { IngestPipeline } from '../ingest-pipeline';
import { IngestEventsCommand } from './ingest-events.command';

@CommandHandler(IngestEventsCommand)
export class IngestEventsHandler implements ICommandHandler<IngestEventsCommand> {
  constructor(private readonly pipeline: IngestPipeline) {}

  execute(command: IngestEventsCommand): Promise<IngestOutcome[]> {
    return this.pipeline.ingest(command.inputs, command.context);
  }
}
