import { Command } from '@nestjs/cqrs';

export interface ErasureResult {
  readonly personRef: string;
  /** Agency subject streams of the person. */
  readonly subjectStreams: number;
  /** Keys deleted by this call (0 when the person was already erased). */
  readonly keysDeleted: number;
  /** False when nothing was left to erase (a repeated request): no new event or log entry. */
  readonly recorded: boolean;
  readonly disclosureLogSequence: number | null;
}

/** `hub erase --person REF --reason TEXT`: crypto-shreds every agency subject of the person. */
export class ErasePersonCommand extends Command<ErasureResult> {
  constructor(readonly personRef: string, readonly reason: string, readonly by: string) {
    super();
  }
}
