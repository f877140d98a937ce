import { Command } from '@nestjs/cqrs';

/** Counts only: retention never reports which people or events it touched. */
export interface RetentionResult {
  readonly on: string;
  /** Sealed agency events looked at. */
  readonly checked: number;
  /** Events whose personal fields were shredded by this run. */
  readonly eventsShredded: number;
  /** Streams whose every event is now shredded, whose key was deleted by this run. */
  readonly keysDeleted: number;
  /** Events no agreement clause names a retention period for: kept, for someone to look at. */
  readonly withoutRule: number;
}

/** `hub retention run`: shreds what is past the agreements' `retentionDays`, from the hub's clock. */
export class RunRetentionCommand extends Command<RetentionResult> {}
