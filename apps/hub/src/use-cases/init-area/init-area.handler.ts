import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { type AreaConfig, DomainError } from '@hub/kernel';
import { decideAreaConfiguration } from '@hub/sharing';
import { HubRuntime } from '../../runtime/hub-runtime';
import { recordDirectoryChanges } from '../agreements/directory-changes';
import { InitAreaCommand, type InitAreaResult } from './init-area.command';

@CommandHandler(InitAreaCommand)
export class InitAreaHandler implements ICommandHandler<InitAreaCommand> {
  constructor(private readonly hub: HubRuntime) {}

  async execute({ config, by }: InitAreaCommand): Promise<InitAreaResult> {
    const violation = this.hub.contracts.validateAreaConfig(config)[0];
    if (violation) throw new DomainError('AREA.INVALID_CONFIG', `Area configuration: ${violation.message}`);
    const area = config as AreaConfig;
    const at = this.hub.clock.now().toISOString();
    const before = await this.hub.directories.current();
    const changes = decideAreaConfiguration(area, before, { by, at });
    if (changes.length > 0) {
      // The agreement changes and their notices to every party commit together (transactional outbox).
      await this.hub.database.transaction((client) => recordDirectoryChanges(client, (requests) => this.hub.store.appendIn(client, requests), {
        before, changes, areaId: area.area.id, at, by, eventIdOf: () => randomUUID(),
      }), 10);
    }
    await this.hub.tokens.ensureHubKey();
    return {
      area: area.area.id, agencies: area.agencies.length, agreements: area.agreements.length,
      recorded: changes.reduce((sum, change) => sum + change.events.length, 0),
    };
  }
}
