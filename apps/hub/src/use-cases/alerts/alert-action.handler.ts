import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type AlertCommand, alertEventFromStored, type AlertStatus, alertStoreTypes, alertStreamId, decideAlert, evolveAlert, initialAlertState,
} from '@hub/alerts';
import { DomainError } from '@hub/kernel';
import { WrongExpectedVersionError } from '@hub/event-store';
import { HubRuntime } from '../../runtime/hub-runtime';
import { AlertActionCommand } from './alert-action.command';

/** Loads the alert's stream, decides with the lifecycle, appends at the version it read. */
@CommandHandler(AlertActionCommand)
export class AlertActionHandler implements ICommandHandler<AlertActionCommand> {
  constructor(private readonly hub: HubRuntime) {}

  async execute({ action, alertId, by, note }: AlertActionCommand): Promise<{ id: string; status: AlertStatus }> {
    const streamId = alertStreamId(alertId);
    const stored = await this.hub.store.readStream(streamId);
    const state = stored.map(alertEventFromStored).reduce((s, e) => (e ? evolveAlert(s, e) : s), initialAlertState);
    const at = this.hub.clock.now().toISOString();
    const command: AlertCommand = action === 'acknowledge'
      ? { type: 'AcknowledgeAlert', data: { alertId, by, note, at } }
      : { type: 'CloseAlert', data: { alertId, by, note, at } };
    const events = decideAlert(command, state);
    await this.hub.store.append([{
      streamId, expectedVersion: stored.length,
      events: events.map((event) => ({ eventId: randomUUID(), type: alertStoreTypes[event.type], source: 'hub', subject: null, occurredAt: at, data: event.data, metadata: { by } })),
    }]).catch((error: unknown) => {
      if (error instanceof WrongExpectedVersionError) throw new DomainError('ALERT.CONFLICT', `alertId: alert ${JSON.stringify(alertId)} changed while this was decided; read it again`);
      throw error;
    });
    const next = events.reduce(evolveAlert, state);
    return { id: alertId, status: next.status as AlertStatus };
  }
}
