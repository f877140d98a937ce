import type { HubRuntime } from '../runtime/hub-runtime';
import { signInModeOf } from './sign-in.controller';

const hubOn = (kind: 'embedded' | 'server') => ({ location: kind === 'embedded' ? { kind, dataDir: '/tmp/hub' } : { kind, url: 'postgres://db/hub' } }) as HubRuntime;

describe('how people sign in to the dashboard', () => {
  it('chooses an agency on the embedded demo hub and pastes a token in server mode', () => {
    expect(signInModeOf(hubOn('embedded'), {})).toBe('demo');
    expect(signInModeOf(hubOn('server'), {})).toBe('token');
  });

  it('follows HUB_DASHBOARD_SIGN_IN, and names the variable and value when it is neither demo nor token', () => {
    expect(signInModeOf(hubOn('server'), { HUB_DASHBOARD_SIGN_IN: 'demo' })).toBe('demo');
    expect(signInModeOf(hubOn('embedded'), { HUB_DASHBOARD_SIGN_IN: 'token' })).toBe('token');
    expect(() => signInModeOf(hubOn('server'), { HUB_DASHBOARD_SIGN_IN: 'oidc' })).toThrow('HUB_DASHBOARD_SIGN_IN: "oidc" is not demo or token');
  });
});
