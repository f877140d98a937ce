import { createHash } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@hub/kernel';
import { identifierKeyOf } from '@hub/identity';
import { nameBasedId } from '@hub/outbox';
import { OptOutRegister } from '@hub/security';
import { hubSource } from '@hub/sharing';
import { HubRuntime } from '../../runtime/hub-runtime';
import { ImportOptOutCommand, type OptOutImportResult, optOutRegisterReplacedType, optOutStreamId } from './import-opt-out.command';

/**
 * Replaces the National Data Opt-out register in one transaction, serialised with other imports:
 * the numbers are stored as the identity index's keyed blind keys, and a replacement that changes
 * anything appends `hub.opt-out.register-replaced.v1` (who, counts, a digest of the keys; never a
 * number), whose recorded time is the instant the new register applies from. Importing the same
 * list again changes nothing and records nothing.
 */
@CommandHandler(ImportOptOutCommand)
export class ImportOptOutHandler implements ICommandHandler<ImportOptOutCommand> {
  constructor(private readonly hub: HubRuntime) {}

  async execute({ nhsNumbers, by }: ImportOptOutCommand): Promise<OptOutImportResult> {
    const keys = new Set<string>();
    nhsNumbers.forEach((number, index) => {
      const key = identifierKeyOf('nhsNumber', number, (value) => this.hub.vault.blind(value));
      if (key === undefined) throw new DomainError('OPT_OUT.INVALID_NHS_NUMBER', `nhsNumbers[${index}] is not a valid NHS number`);
      keys.add(key);
    });
    const result = await this.hub.database.transaction(async (client): Promise<OptOutImportResult> => {
      const register = new OptOutRegister(client);
      await register.lock();
      const current = await register.current();
      if (current.size === keys.size && [...keys].every((key) => current.has(key))) {
        return { recorded: false, entries: keys.size, added: 0, removed: 0, listedFrom: null, eventId: null };
      }
      const digest = createHash('sha256').update([...keys].sort().join('\n')).digest('hex');
      const { rows: last } = await client.query<{ event_id: string }>(
        'SELECT event_id FROM event_store.events WHERE stream_id = $1 ORDER BY stream_position DESC LIMIT 1', [optOutStreamId],
      );
      const eventId = nameBasedId(`opt-out-register:${last[0]?.event_id ?? 'first'}:${digest}`);
      const added = [...keys].filter((key) => !current.has(key)).length;
      const removed = [...current].filter((key) => !keys.has(key)).length;
      await this.hub.store.appendIn(client, [{
        streamId: optOutStreamId, expectedVersion: 'any',
        events: [{
          eventId, type: optOutRegisterReplacedType, source: hubSource, subject: null, occurredAt: this.hub.clock.now().toISOString(),
          data: { entries: keys.size, added, removed, registerDigest: digest, by }, metadata: { by },
        }],
      }]);
      const { rows } = await client.query<{ recorded_at: Date }>('SELECT recorded_at FROM event_store.events WHERE event_id = $1', [eventId]);
      const listedFrom = rows[0]!.recorded_at.toISOString();
      const change = await register.replace(keys, listedFrom);
      return { recorded: true, ...change, listedFrom, eventId };
    }, 10);
    this.hub.logger.info({ entries: result.entries, added: result.added, removed: result.removed, recorded: result.recorded }, 'opt-out register imported');
    return result;
  }
}
