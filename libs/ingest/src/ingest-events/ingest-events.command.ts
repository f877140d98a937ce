import { Command } from '@nestjs/cqrs';
import type { IngestContext, IngestInput, IngestOutcome } from '../ingest-outcome';

/** Publish a batch of events: each gets its own outcome; one bad event never drops the rest. */
export class IngestEventsCommand extends Command<IngestOutcome[]> {
  constructor(readonly inputs: readonly IngestInput[], readonly context: IngestContext) {
    super();
  }
}
