import { Command } from '@nestjs/cqrs';

export const optOutRegisterReplacedType = 'hub.opt-out.register-replaced.v1';
export const optOutStreamId = 'national-data-opt-out';

/** Counts only: never which NHS numbers. */
export interface OptOutImportResult {
  /** False when the file lists exactly the register as it stands: nothing changed, no event. */
  readonly recorded: boolean;
  /** NHS numbers on the register now. */
  readonly entries: number;
  readonly added: number;
  readonly removed: number;
  /** The instant the new register applies from (the import event's recorded time); null when nothing changed. */
  readonly listedFrom: string | null;
  readonly eventId: string | null;
}

/**
 * `hub opt-out import FILE`: the file is the whole register (NHS Digital's MESH extract is a full
 * list), so it replaces it: numbers no longer listed leave it, new ones join it.
 */
export class ImportOptOutCommand extends Command<OptOutImportResult> {
  /** `nhsNumbers`: valid numbers, digits only (`parseOptOutFile`). */
  constructor(readonly nhsNumbers: readonly string[], readonly by: string) {
    super();
  }
}
