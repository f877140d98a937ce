import { Command } from '@nestjs/cqrs';

/** A bearer token for an agency of the area, signed by the hub (embedded default, tests, dashboard sign-in). */
export class IssueTokenCommand extends Command<string> {
  constructor(readonly agencyId: string, readonly ttlSeconds: number) {
    super();
  }
}
