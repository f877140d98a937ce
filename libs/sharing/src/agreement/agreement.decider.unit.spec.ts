import type { AgreementStatus } from '@hub/kernel';
import { decideAgreement } from './agreement.decider';
import type { AgreementCommand } from './agreement.commands';
import type { AgreementEvent } from './agreement.events';
import { anAgreement, given, meta, registered, stateOf } from './agreement.fixtures.spec';

const id = 'dsa-test';
const record = { agreementId: id, ...meta };
const inStatus = (status: AgreementStatus) => registered(anAgreement({ status }));
const command = (type: 'ActivateAgreement' | 'SuspendAgreement' | 'ExpireAgreement' | 'TerminateAgreement'): AgreementCommand =>
  ({ type, data: { agreementId: id, ...meta } });

describe('agreement decider', () => {
  describe('registering', () => {
    it('records a new agreement with its status as given', () => {
      const { id: _id, version, status, ...terms } = anAgreement({ status: 'draft' });
      given().when({ type: 'RegisterAgreement', data: { agreement: anAgreement({ status: 'draft' }), ...meta } })
        .then([{ type: 'AgreementRegistered', data: { ...record, version, status, terms } }]);
    });

    it('is a no-op when the same terms are registered again, even reordered', () => {
      const reordered = anAgreement({
        purposes: anAgreement().purposes.map((p) => ({ ...p, providers: [...p.providers].reverse() })),
      });
      given(registered()).when({ type: 'RegisterAgreement', data: { agreement: reordered, ...meta } }).then([]);
    });

    it('does not re-apply the status written in the file: reloading never reactivates a suspended agreement', () => {
      given(registered(), { type: 'AgreementSuspended', data: { ...record, version: 1 } })
        .when({ type: 'RegisterAgreement', data: { agreement: anAgreement({ status: 'active' }), ...meta } })
        .then([]);
    });

    it('turns changed terms for the same id into a revision, version + 1', () => {
      const edited = anAgreement({ effectiveTo: '2029-12-31' });
      const { id: _id, version: _v, status: _s, ...terms } = edited;
      given(registered()).when({ type: 'RegisterAgreement', data: { agreement: edited, ...meta } })
        .then([{ type: 'AgreementRevised', data: { ...record, version: 2, previousVersion: 1, terms } }]);
    });

    it('refuses terms that name an unknown event type, naming the field and value', () => {
      const bad = anAgreement({ purposes: [{ ...anAgreement().purposes[0]!, eventTypes: ['prison.relase.recorded.v1'] }] });
      given().when({ type: 'RegisterAgreement', data: { agreement: bad, ...meta } })
        .thenRefuses('AGREEMENT.INVALID_TERMS', 'purposes[0].eventTypes[0]', 'prison.relase.recorded.v1');
    });

    it('refuses an unknown field name in a field grant', () => {
      const bad = anAgreement({ purposes: [{ ...anAgreement().purposes[0]!, fields: ['engagedSince', 'substance'] }] });
      given().when({ type: 'RegisterAgreement', data: { agreement: bad, ...meta } })
        .thenRefuses('AGREEMENT.INVALID_TERMS', 'purposes[0].fields[1]', '"substance"');
    });

    it('refuses an agreement that ends before it starts', () => {
      given().when({ type: 'RegisterAgreement', data: { agreement: anAgreement({ effectiveTo: '2023-12-31' }), ...meta } })
        .thenRefuses('AGREEMENT.INVALID_TERMS', 'effectiveTo "2023-12-31"', 'before effectiveFrom 2024-01-01');
    });

    it('refuses a command that does not say why', () => {
      given().when({ type: 'RegisterAgreement', data: { agreement: anAgreement(), ...meta, reason: ' ' } })
        .thenRefuses('AGREEMENT.INVALID_COMMAND', 'reason');
    });
  });

  describe('lifecycle transitions', () => {
    const legal: readonly [AgreementStatus, AgreementCommand['type'], AgreementEvent][] = [
      ['draft', 'ActivateAgreement', { type: 'AgreementActivated', data: { ...record, version: 1, from: 'draft' } }],
      ['suspended', 'ActivateAgreement', { type: 'AgreementActivated', data: { ...record, version: 1, from: 'suspended' } }],
      ['active', 'SuspendAgreement', { type: 'AgreementSuspended', data: { ...record, version: 1 } }],
      ['active', 'ExpireAgreement',
        { type: 'AgreementExpired', data: { ...record, version: 1, from: 'active', effectiveTo: '2028-12-31', automatic: false } }],
      ['suspended', 'ExpireAgreement',
        { type: 'AgreementExpired', data: { ...record, version: 1, from: 'suspended', effectiveTo: '2028-12-31', automatic: false } }],
      ['active', 'TerminateAgreement', { type: 'AgreementTerminated', data: { ...record, version: 1, from: 'active' } }],
      ['suspended', 'TerminateAgreement', { type: 'AgreementTerminated', data: { ...record, version: 1, from: 'suspended' } }],
    ];
    it.each(legal)('given %s, %s is recorded with who and why', (status, type, event) => {
      given(inStatus(status)).when(command(type as Parameters<typeof command>[0])).then([event]);
    });

    const illegal: readonly [AgreementStatus, Parameters<typeof command>[0], AgreementStatus][] = [
      ['active', 'ActivateAgreement', 'active'], ['expired', 'ActivateAgreement', 'active'],
      ['terminated', 'ActivateAgreement', 'active'],
      ['draft', 'SuspendAgreement', 'suspended'], ['suspended', 'SuspendAgreement', 'suspended'],
      ['expired', 'SuspendAgreement', 'suspended'], ['terminated', 'SuspendAgreement', 'suspended'],
      ['draft', 'ExpireAgreement', 'expired'], ['expired', 'ExpireAgreement', 'expired'],
      ['terminated', 'ExpireAgreement', 'expired'],
      ['draft', 'TerminateAgreement', 'terminated'], ['expired', 'TerminateAgreement', 'terminated'],
      ['terminated', 'TerminateAgreement', 'terminated'],
    ];
    it.each(illegal)('given %s, %s is refused naming the agreement and both statuses', (from, type, to) => {
      given(inStatus(from)).when(command(type))
        .thenRefuses('AGREEMENT.INVALID_TRANSITION', `agreement ${id} v1`, `from ${from} to ${to}`);
    });

    it('refuses any transition of an agreement that was never registered', () => {
      given().when(command('SuspendAgreement')).thenRefuses('AGREEMENT.NOT_FOUND', id);
    });
  });

  describe('revising', () => {
    const terms = (({ id: _i, version: _v, status: _s, ...rest }) => rest)(anAgreement({ reviewOn: '2026-06-01' }));
    const revise: AgreementCommand = { type: 'ReviseAgreement', data: { agreementId: id, terms, ...meta } };

    it('records new terms as the next version, keeping the status', () => {
      const history = [inStatus('suspended')];
      given(...history).when(revise)
        .then([{ type: 'AgreementRevised', data: { ...record, version: 2, previousVersion: 1, terms } }]);
      const after = stateOf([...history, ...decideAgreement(revise, stateOf(history))]);
      expect(after).toMatchObject({ version: 2, status: 'suspended', reviewOn: '2026-06-01' });
    });

    it.each(['terminated', 'expired'] as const)('refuses to revise a %s agreement', (status) => {
      given(inStatus(status)).when(revise).thenRefuses('AGREEMENT.INVALID_TRANSITION', `it is ${status}`, 'final');
    });
  });

  describe('expiry observed from the date', () => {
    const observe = (today: string): AgreementCommand =>
      ({ type: 'ObserveDate', data: { agreementId: id, today, by: 'hub:clock', reason: 'daily tick', at: `${today}T00:05:00Z` } });
    const expired = (from: 'active' | 'suspended'): AgreementEvent => ({
      type: 'AgreementExpired',
      data: {
        agreementId: id, by: 'hub:clock', reason: 'effectiveTo 2028-12-31 has passed (today is 2029-01-01)',
        at: '2029-01-01T00:05:00Z', version: 1, from, effectiveTo: '2028-12-31', automatic: true,
      },
    });

    it('does nothing on the last effective day', () => given(inStatus('active')).when(observe('2028-12-31')).then([]));
    it('expires an active agreement the day after effectiveTo', () =>
      given(inStatus('active')).when(observe('2029-01-01')).then([expired('active')]));
    it('expires a suspended agreement too', () =>
      given(inStatus('suspended')).when(observe('2029-01-01')).then([expired('suspended')]));
    it('is idempotent: an expired agreement expires once', () =>
      given(inStatus('active'), expired('active')).when(observe('2029-01-02')).then([]));
    it.each(['draft', 'terminated'] as const)('leaves a %s agreement alone', (status) =>
      given(inStatus(status)).when(observe('2029-01-01')).then([]));
  });
});
