import { mayAdministerAgreement } from './agreement-administration.rules';
import { registered, stateOf } from './agreement.fixtures.spec';
import { initialAgreementState } from './agreement.state';

const state = stateOf([registered()]);
const admin = { agencyId: 'hub-admin', admin: true };
const party = { agencyId: 'probation-northshire', admin: false };
const outsider = { agencyId: 'police-northshire', admin: false };

describe('who may administer an agreement', () => {
  it.each(['create', 'activate', 'suspend', 'terminate', 'expire', 'revise'] as const)('the hub administrator may %s', (action) => {
    expect(mayAdministerAgreement(admin, action, state)).toEqual({ allowed: true });
  });

  it('a party may suspend at once', () => {
    expect(mayAdministerAgreement(party, 'suspend', state)).toEqual({ allowed: true });
  });

  it.each(['create', 'activate', 'terminate', 'revise'] as const)('a party may not %s', (action) => {
    expect(mayAdministerAgreement(party, action, state)).toMatchObject({ allowed: false, reason: expect.stringContaining('only the hub administrator') });
  });

  it('an agency that is not a party may not suspend, and is told why', () => {
    expect(mayAdministerAgreement(outsider, 'suspend', state))
      .toEqual({ allowed: false, reason: 'police-northshire is not a party to agreement dsa-test, so it may not suspend it' });
  });

  it('nobody but the administrator may act on an agreement that does not exist', () => {
    expect(mayAdministerAgreement(party, 'suspend', initialAgreementState)).toMatchObject({ allowed: false });
  });
});
