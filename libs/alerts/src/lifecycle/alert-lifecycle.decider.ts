import { assertNever, DomainError } from '@hub/kernel';
import type { ResolutionReason } from '../alert';
import type { AlertEvent, AlertRaisedData } from '../alert.events';

export interface RaisedAlertState {
  readonly status: 'open' | 'acknowledged' | 'resolved' | 'closed';
  readonly alert: AlertRaisedData;
  readonly acknowledgements: readonly { readonly by: string; readonly note: string; readonly at: string }[];
  readonly resolution?: { readonly reason: ResolutionReason; readonly at: string };
  readonly closure?: { readonly by: string; readonly note: string; readonly at: string };
}

export type AlertState = { readonly status: 'none' } | RaisedAlertState;

export const initialAlertState: AlertState = { status: 'none' };

export type AlertCommand =
  | { readonly type: 'RaiseAlert'; readonly data: AlertRaisedData }
  | { readonly type: 'AcknowledgeAlert'; readonly data: { readonly alertId: string; readonly by: string; readonly note: string; readonly at: string } }
  | { readonly type: 'ResolveAlert'; readonly data: { readonly alertId: string; readonly reason: ResolutionReason; readonly resolvedAt: string } }
  | { readonly type: 'CloseAlert'; readonly data: { readonly alertId: string; readonly by: string; readonly note: string; readonly at: string } };

const maxNoteLength = 2000;

/**
 * The alert lifecycle: open -> acknowledged (with a note; several recipients may each acknowledge)
 * -> closed by a recipient, or resolved by the hub when the condition ends. Resolved and closed are
 * final. Raising and resolving are idempotent: the processor may decide them again.
 */
export function decideAlert(command: AlertCommand, state: AlertState): AlertEvent[] {
  switch (command.type) {
    case 'RaiseAlert':
      return state.status === 'none' ? [{ type: 'AlertRaised', data: command.data }] : [];
    case 'ResolveAlert':
      return isLive(state) ? [{ type: 'AlertResolved', data: command.data }] : [];
    case 'AcknowledgeAlert': {
      const live = requireLive(state, command.data.alertId, 'acknowledge');
      requireRecipient(live, command.data.by);
      return [{ type: 'AlertAcknowledged', data: { ...command.data, note: checkedNote(command.data.note) } }];
    }
    case 'CloseAlert': {
      const live = requireLive(state, command.data.alertId, 'close');
      requireRecipient(live, command.data.by);
      return [{ type: 'AlertClosed', data: { ...command.data, note: checkedNote(command.data.note) } }];
    }
    default:
      return assertNever(command, 'alert command');
  }
}

/** Final states ignore what follows (the first of resolved and closed wins). */
export function evolveAlert(state: AlertState, event: AlertEvent): AlertState {
  switch (event.type) {
    case 'AlertRaised':
      return state.status === 'none' ? { status: 'open', alert: event.data, acknowledgements: [] } : state;
    case 'AlertAcknowledged':
      if (!isLive(state)) return state;
      return { ...state, status: 'acknowledged', acknowledgements: [...state.acknowledgements, { by: event.data.by, note: event.data.note, at: event.data.at }] };
    case 'AlertResolved':
      return isLive(state) ? { ...state, status: 'resolved', resolution: { reason: event.data.reason, at: event.data.resolvedAt } } : state;
    case 'AlertClosed':
      return isLive(state) ? { ...state, status: 'closed', closure: { by: event.data.by, note: event.data.note, at: event.data.at } } : state;
    default:
      return assertNever(event, 'alert event');
  }
}

/** Open or acknowledged: the hub may still resolve it, a recipient acknowledge or close it. */
export function isLiveStatus(status: AlertState['status']): boolean {
  return status === 'open' || status === 'acknowledged';
}

type LiveState = RaisedAlertState & { readonly status: 'open' | 'acknowledged' };

function isLive(state: AlertState): state is LiveState {
  return isLiveStatus(state.status);
}

function requireLive(state: AlertState, alertId: string, action: string): LiveState {
  if (state.status === 'none') throw new DomainError('ALERT.NOT_FOUND', `alertId: no alert ${JSON.stringify(alertId)}`);
  if (!isLive(state)) {
    throw new DomainError('ALERT.INVALID_TRANSITION', `alertId: alert ${JSON.stringify(alertId)} is ${state.status}; only an open or acknowledged alert can ${action}`);
  }
  return state;
}

/** Only its recipients act on an alert; to anyone else it does not exist. */
function requireRecipient(state: LiveState, by: string): void {
  if (!state.alert.recipients.includes(by)) {
    throw new DomainError('ALERT.NOT_FOUND', `alertId: no alert ${JSON.stringify(state.alert.alertId)} for ${JSON.stringify(by)}`);
  }
}

function checkedNote(note: string): string {
  const trimmed = note.trim();
  if (trimmed === '') throw new DomainError('ALERT.NOTE_REQUIRED', 'note: an acknowledgement or closure needs a note saying what was done');
  if (trimmed.length > maxNoteLength) throw new DomainError('ALERT.NOTE_TOO_LONG', `note: ${trimmed.length} characters; at most ${maxNoteLength}`);
  return trimmed;
}
