import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@hub/kernel';
import { HubRuntime } from '../../runtime/hub-runtime';
import { IssueTokenCommand } from './issue-token.command';

@CommandHandler(IssueTokenCommand)
export class IssueTokenHandler implements ICommandHandler<IssueTokenCommand> {
  constructor(private readonly hub: HubRuntime) {}

  async execute({ agencyId, ttlSeconds }: IssueTokenCommand): Promise<string> {
    const directory = await this.hub.directories.current();
    if (!directory.agencies.has(agencyId)) {
      const known = [...directory.agencies.keys()].join(', ') || 'none: run hub init first';
      throw new DomainError('AUTH.UNKNOWN_AGENCY', `--agency: ${JSON.stringify(agencyId)} is not an agency of this area (agencies: ${known})`);
    }
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > 86_400 * 30) {
      throw new DomainError('AUTH.INVALID_TTL', `--ttl: ${ttlSeconds} must be whole seconds between 60 and 2592000`);
    }
    return this.hub.tokens.issue(agencyId, ttlSeconds);
  }
}
