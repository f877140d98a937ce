import {
  agencyEventTypes, factEventTypes, isRetractionEventType, publisherKindOf, purposes,
  type Agreement, type AgencyEventType, type Purpose,
} from '@hub/kernel';
import { loadArea } from '../../test/area-fixture';
import { agreementDecider } from '../agreement/agreement.decider';
import type { AgreementCommand } from '../agreement/agreement.commands';
import type { AgreementState } from '../agreement/agreement.state';
import { evaluateAccess, mayPublish } from './policy';

// The generated matrix: every recipient x every provider x every purpose x every type in the
// catalogue (retractions with each type they may retract), against an oracle that reads the
// agreement text directly.
const area = loadArea();
const agencies = area.agencies.map((a) => a.id);
const meta = { by: 'hub-init', reason: 'loaded area.json', at: '2026-01-05T10:00:00Z' };
type TypeCase = { eventType: AgencyEventType; retractedType?: string };
const typeCases: readonly TypeCase[] = agencyEventTypes.flatMap((eventType): TypeCase[] =>
  isRetractionEventType(eventType)
    ? Object.entries(factEventTypes).filter(([, kind]) => kind === publisherKindOf(eventType))
      .map(([retractedType]) => ({ eventType, retractedType }))
    : [{ eventType }]);

function run(commands: readonly AgreementCommand[]): AgreementState {
  return commands.reduce((state, command) =>
    agreementDecider.decide(command, state).reduce(agreementDecider.evolve, state), agreementDecider.initialState());
}

function loaded(): AgreementState[] {
  return area.agreements.map((agreement) => run([{ type: 'RegisterAgreement', data: { agreement, ...meta } }]));
}

type Expected = { allowed: true; clause: string; personLevel: boolean } | { allowed: false; missing: string };

/** Plain reading of the agreement text; reports the first thing missing, in the order the policy checks. */
function oracle(recipient: string, purpose: Purpose, provider: string, type: string, on: string): Expected {
  const live = area.agreements.filter((a: Agreement) => a.status === 'active' && a.effectiveFrom <= on && on <= a.effectiveTo);
  const clauses = live.flatMap((a) => a.purposes.filter((p) => p.purpose === purpose).map((p) => ({ a, p })));
  if (clauses.length === 0) return { allowed: false, missing: 'no active agreement' };
  const toRecipient = clauses.filter(({ p }) => p.recipients.includes(recipient));
  if (toRecipient.length === 0) return { allowed: false, missing: 'is not a recipient' };
  const fromProvider = toRecipient.filter(({ p }) => p.providers.includes(provider));
  if (fromProvider.length === 0) return { allowed: false, missing: `provider ${provider} is not named` };
  const match = fromProvider.find(({ p }) => p.eventTypes.includes('*') || p.eventTypes.includes(type));
  if (!match) return { allowed: false, missing: `type ${type} is not covered` };
  return { allowed: true, clause: `${match.a.id} v${match.a.version} / ${purpose}`, personLevel: match.p.personLevel };
}

function checkMatrix(states: readonly AgreementState[], on: string): number {
  let allowed = 0;
  for (const recipient of agencies) for (const purpose of purposes) for (const provider of agencies) {
    for (const { eventType, retractedType } of typeCases) {
      const decision = evaluateAccess(states, { recipient, purpose, provider, eventType, retractedType, on });
      const expected = oracle(recipient, purpose, provider, retractedType ?? eventType, on);
      const label = `${recipient} / ${purpose} / ${provider} / ${eventType}${retractedType ? ` (${retractedType})` : ''}`;
      if (expected.allowed) {
        allowed += 1;
        expect({ label, ...decision }).toMatchObject({ label, allowed: true, clause: expected.clause, personLevel: expected.personLevel });
      } else {
        expect({ label, allowed: decision.allowed }).toEqual({ label, allowed: false });
        if (!decision.allowed) expect(decision.reason).toContain(expected.missing);
      }
    }
  }
  return allowed;
}

describe('policy over the Northshire agreement: generated matrix', () => {
  it('allows exactly what the agreement text allows, and names what is missing otherwise', () => {
    const allowed = checkMatrix(loaded(), '2026-03-02');
    // A matrix where nothing (or everything) is allowed would prove nothing.
    expect(allowed).toBeGreaterThan(500);
    expect(allowed).toBeLessThan(agencies.length ** 2 * purposes.length * typeCases.length / 2);
  });

  it('denies everything at once when the agreement is suspended', () => {
    const suspended = area.agreements.map((agreement) => run([
      { type: 'RegisterAgreement', data: { agreement, ...meta } },
      { type: 'SuspendAgreement', data: { agreementId: agreement.id, ...meta, reason: 'breach under investigation' } },
    ]));
    const decision = evaluateAccess(suspended, {
      recipient: 'probation-northshire', purpose: 'near-miss-alerting', provider: 'nhs-northshire-ambulance',
      eventType: 'nhs.non-fatal-overdose.recorded.v1', on: '2026-03-02',
    });
    expect(decision).toEqual({
      allowed: false, reason: 'no active agreement for near-miss-alerting on 2026-03-02 (dsa-northshire-cdp v1 is suspended)',
    });
    expect(checkAllDenied(suspended, '2026-03-02')).toBe(true);
  });

  it('denies everything after effectiveTo, before any expiry is recorded', () => {
    expect(checkAllDenied(loaded(), '2029-01-01')).toBe(true);
    expect(checkAllDenied(loaded(), '2023-12-31')).toBe(true);
    expect(checkAllDenied(loaded(), '2028-12-31')).toBe(false);
  });

  it('lets an agency publish exactly the types some active purpose names it as provider of', () => {
    for (const provider of agencies) for (const { eventType, retractedType } of typeCases) {
      const type = retractedType ?? eventType;
      const expected = area.agreements.some((a) => a.status === 'active' && a.purposes.some((p) =>
        p.providers.includes(provider) && (p.eventTypes.includes('*') || p.eventTypes.includes(type))));
      const decision = mayPublish(loaded(), { provider, eventType, retractedType, on: '2026-03-02' });
      expect({ provider, type, allowed: decision.allowed }).toEqual({ provider, type, allowed: expected });
    }
  });
});

function checkAllDenied(states: readonly AgreementState[], on: string): boolean {
  return agencies.every((recipient) => purposes.every((purpose) => agencies.every((provider) =>
    typeCases.every(({ eventType, retractedType }) =>
      !evaluateAccess(states, { recipient, purpose, provider, eventType, retractedType, on }).allowed))));
}
