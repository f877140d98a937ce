import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WrongExpectedVersionError } from '@hub/event-store';
import { DomainError, londonDateOf } from '@hub/kernel';
import {
  type AgreementCommand, agreementStreamId, decideAgreement, initialAgreementState, isRegistered, mayAdministerAgreement,
} from '@hub/sharing';
import { HubRuntime } from '../../runtime/hub-runtime';
import { agreementView } from './agreement-view';
import { ChangeAgreementCommand } from './change-agreement.command';
import { recordDirectoryChanges } from './directory-changes';

const commandTypes = {
  activate: 'ActivateAgreement', suspend: 'SuspendAgreement', terminate: 'TerminateAgreement', expire: 'ExpireAgreement',
} as const;

/** Load the directory, check who asks, decide, append with the stream's expected version, notify every party. */
@CommandHandler(ChangeAgreementCommand)
export class ChangeAgreementHandler implements ICommandHandler<ChangeAgreementCommand> {
  constructor(private readonly hub: HubRuntime) {}

  async execute({ actor, change, reason }: ChangeAgreementCommand): Promise<{ agreement: ReturnType<typeof agreementView>; recorded: number }> {
    const before = await this.hub.directories.current();
    const areaId = before.area?.id;
    if (!areaId) throw new DomainError('AREA.NOT_CONFIGURED', 'No area is configured: run hub init --config area.json first');
    const agreementId = change.action === 'create' ? change.agreement.id : change.agreementId;
    const state = before.agreements.get(agreementId) ?? initialAgreementState;
    const permission = mayAdministerAgreement(actor, change.action, state);
    if (!permission.allowed) throw new DomainError('ACCESS.NOT_AGREEMENT_ADMINISTRATOR', permission.reason, { agreementId });
    const at = this.hub.clock.now().toISOString();
    const meta = { by: actor.agencyId, reason, at };
    let command: AgreementCommand;
    if (change.action === 'create') {
      if (isRegistered(state)) {
        throw new DomainError('AGREEMENT.CONFLICT', `agreement ${agreementId} already exists (v${state.version}, ${state.status}): change it with POST /v1/agreements/${agreementId}/versions`, { agreementId });
      }
      if (change.agreement.status !== 'draft') {
        throw new DomainError('AGREEMENT.INVALID_COMMAND',
          `agreement.status ${JSON.stringify(change.agreement.status)}: a new agreement starts as draft; activate it with POST /v1/agreements/${agreementId}/activate`,
          { field: 'agreement.status', value: change.agreement.status });
      }
      change.agreement.purposes.forEach((clause, p) => {
        for (const role of ['providers', 'recipients'] as const) {
          clause[role].forEach((agencyId, i) => {
            if (!before.agencies.has(agencyId)) {
              throw new DomainError('AREA.UNKNOWN_AGENCY', `agreement.purposes[${p}].${role}[${i}]: ${JSON.stringify(agencyId)} is not an agency of the area`);
            }
          });
        }
      });
      command = { type: 'RegisterAgreement', data: { agreement: change.agreement, ...meta } };
    } else if (change.action === 'revise') {
      command = { type: 'ReviseAgreement', data: { agreementId, terms: change.terms, ...meta } };
    } else {
      command = { type: commandTypes[change.action], data: { agreementId, ...meta } };
    }
    const events = decideAgreement(command, state);
    const streamId = agreementStreamId(agreementId);
    let recorded = 0;
    try {
      recorded = await this.hub.database.transaction((client) => recordDirectoryChanges(client, (requests) => this.hub.store.appendIn(client, requests), {
        before, areaId, at, by: actor.agencyId,
        changes: events.length ? [{ streamId, expectedVersion: before.versions.get(streamId) ?? 0, events }] : [],
        eventIdOf: () => randomUUID(),
      }));
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new DomainError('AGREEMENT.CONFLICT', `agreement ${agreementId} was changed by someone else meanwhile: read it again and retry`, { agreementId });
      }
      throw error;
    }
    const after = (await this.hub.directories.current()).agreements.get(agreementId)!;
    return { agreement: agreementView(after, londonDateOf(this.hub.clock.now())), recorded };
  }
}
