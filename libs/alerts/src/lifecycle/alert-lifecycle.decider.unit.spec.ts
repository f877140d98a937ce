import type { AlertRaisedData } from '../alert.events';
import { type AlertCommand, type AlertState, decideAlert, evolveAlert, initialAlertState } from './alert-lifecycle.decider';

const raised: AlertRaisedData = {
  alertId: 'a-1', code: 'OVERDOSE_NOT_IN_TREATMENT', priority: 'medium', purpose: 'near-miss-alerting', personRef: 'p-1',
  localAuthority: 'E06000901', raisedAt: '2025-03-08T10:00:00.000Z', occurredOn: '2025-03-08', triggers: [],
  recipients: ['treatment-northshire-recovery'], grants: [], details: {},
};
const at = '2025-03-09T09:00:00.000Z';
const by = 'treatment-northshire-recovery';

function given(...commands: AlertCommand[]): AlertState {
  return commands.reduce((state, command) => decideAlert(command, state).reduce(evolveAlert, state), initialAlertState);
}
const raise: AlertCommand = { type: 'RaiseAlert', data: raised };
const acknowledge = (note = 'Called; appointment booked for Tuesday', who = by): AlertCommand => ({ type: 'AcknowledgeAlert', data: { alertId: 'a-1', by: who, note, at } });
const resolve: AlertCommand = { type: 'ResolveAlert', data: { alertId: 'a-1', reason: 'treatment-started', resolvedAt: at } };
const close: AlertCommand = { type: 'CloseAlert', data: { alertId: 'a-1', by, note: 'Engaged', at } };

describe('alert lifecycle', () => {
  it('Given nothing, When raised, Then it is open; raising again decides nothing', () => {
    expect(given(raise).status).toBe('open');
    expect(decideAlert(raise, given(raise))).toEqual([]);
  });

  it('Given an open alert, When a recipient acknowledges with a note, Then it is acknowledged with the note', () => {
    const state = given(raise, acknowledge());
    expect(state).toMatchObject({ status: 'acknowledged', acknowledgements: [{ by, note: 'Called; appointment booked for Tuesday', at }] });
  });

  it('Given an acknowledged alert, When the condition ends, Then it is resolved; When closed instead, Then closed', () => {
    expect(given(raise, acknowledge(), resolve)).toMatchObject({ status: 'resolved', resolution: { reason: 'treatment-started', at } });
    expect(given(raise, acknowledge(), close)).toMatchObject({ status: 'closed', closure: { by, note: 'Engaged' } });
  });

  it('Given a closed alert, Then resolving decides nothing and acknowledging is an invalid transition', () => {
    const closed = given(raise, close);
    expect(decideAlert(resolve, closed)).toEqual([]);
    expect(() => decideAlert(acknowledge(), closed)).toThrow(expect.objectContaining({ code: 'ALERT.INVALID_TRANSITION' }));
  });

  it('Given a resolved alert, Then the first final state wins over a later close event', () => {
    const resolved = given(raise, resolve);
    expect(evolveAlert(resolved, { type: 'AlertClosed', data: close.data as never }).status).toBe('resolved');
  });

  it('refuses an empty note, a non-recipient and an unknown alert', () => {
    expect(() => decideAlert(acknowledge('   '), given(raise))).toThrow(expect.objectContaining({ code: 'ALERT.NOTE_REQUIRED' }));
    expect(() => decideAlert(acknowledge('ok', 'police-northshire'), given(raise))).toThrow(expect.objectContaining({ code: 'ALERT.NOT_FOUND' }));
    expect(() => decideAlert(acknowledge(), initialAlertState)).toThrow(expect.objectContaining({ code: 'ALERT.NOT_FOUND' }));
  });
});
