import { Command } from '@nestjs/cqrs';

export interface InitAreaResult {
  readonly area: string;
  readonly agencies: number;
  readonly agreements: number;
  /** Hub events recorded by this load: 0 when the file matches what the hub holds. */
  readonly recorded: number;
}

/** `hub init --config area.json`: record the area, agencies and agreements; the same file twice is a no-op. */
export class InitAreaCommand extends Command<InitAreaResult> {
  constructor(readonly config: unknown, readonly by: string) {
    super();
  }
}
