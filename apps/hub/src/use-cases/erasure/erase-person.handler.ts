import { createHash } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@hub/kernel';
import { nameBasedId } from '@hub/outbox';
import { DisclosureLogRepository, hubSource } from '@hub/sharing';
import { HubRuntime } from '../../runtime/hub-runtime';
import { ErasePersonCommand, type ErasureResult } from './erase-person.command';
import { subjectsOfPerson } from './person-subjects';

export const personErasedType = 'hub.person.erased.v1';

/**
 * Erasure in an append-only store: the keys of every agency subject stream of the person are
 * deleted (their personal fields can never be opened again, in any projection or rebuild), a hub
 * event records that it happened (no personal data, no reason text), and the disclosure log
 * records it in its chain. All in one transaction; the reason stays with the tombstones.
 */
@CommandHandler(ErasePersonCommand)
export class ErasePersonHandler implements ICommandHandler<ErasePersonCommand> {
  constructor(private readonly hub: HubRuntime) {}

  async execute({ personRef, reason, by }: ErasePersonCommand): Promise<ErasureResult> {
    if (!/^[A-Za-z0-9._:-]{1,200}$/.test(personRef)) {
      throw new DomainError('REQUEST.INVALID_PERSON_REF', `--person: ${JSON.stringify(personRef)} is not a personRef (letters, digits, '.', '_', ':' or '-')`);
    }
    if (reason.trim() === '') throw new DomainError('REQUEST.REASON_REQUIRED', '--reason: say why the person is erased (e.g. the request reference)');
    const { current: streams, movedTo } = await subjectsOfPerson(this.hub.database, personRef);
    if (streams.length === 0) {
      const now = [...new Set(movedTo.values())];
      throw new DomainError('PERSON.NOT_FOUND', now.length
        ? `person ${personRef} has no agency subjects left: they now belong to ${now.join(', ')} (merged or corrected); erase that person instead`
        : `person ${personRef} is not known: no agency subject was ever assigned to it`, { personRef });
    }
    const at = this.hub.clock.now().toISOString();
    const disclosures = new DisclosureLogRepository(this.hub.database);
    const result = await this.hub.database.transaction(async (client) => {
      const keysDeleted = await this.hub.vault.erase(client, streams, reason.trim());
      const streamSet = createHash('sha256').update(streams.join('\n')).digest('hex');
      const eventId = nameBasedId(`person-erased:${personRef}:${streamSet}`);
      const [outcome] = await this.hub.store.appendIn(client, [{
        streamId: `person-erasure-${personRef}`, expectedVersion: 'any',
        events: [{
          eventId, type: personErasedType, source: hubSource, subject: null, occurredAt: at,
          data: { personRef, subjectStreams: streams.length, keysDeleted, erasedAt: at, by }, metadata: { by },
        }],
      }]);
      if (outcome?.status !== 'appended' && keysDeleted === 0) {
        return { personRef, subjectStreams: streams.length, keysDeleted, recorded: false, disclosureLogSequence: null };
      }
      const entry = await disclosures.append({ kind: 'erasure', at, requestedBy: by, personRefs: [personRef], subjectStreams: streams.length, keysDeleted }, client);
      return { personRef, subjectStreams: streams.length, keysDeleted, recorded: true, disclosureLogSequence: entry.sequence };
    }, 10);
    this.hub.vault.forget(streams);
    this.hub.logger.info({ subjectStreams: result.subjectStreams, keysDeleted: result.keysDeleted, recorded: result.recorded }, 'person erased');
    return result;
  }
}
