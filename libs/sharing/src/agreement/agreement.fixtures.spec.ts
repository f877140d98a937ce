// Shared test data for the agreement specs (a .spec.ts file: excluded from the build, not run as a test).
import type { Agreement } from '@hub/kernel';
import { decideAgreement } from './agreement.decider';
import type { AgreementCommand, CommandMeta } from './agreement.commands';
import type { AgreementEvent } from './agreement.events';
import { evolveAgreement, initialAgreementState, type AgreementState } from './agreement.state';

export const meta: CommandMeta = { by: 'dpo@northshire', reason: 'signed by all parties', at: '2026-03-02T09:00:00Z' };

export function anAgreement(overrides: Partial<Agreement> = {}): Agreement {
  return {
    id: 'dsa-test',
    title: 'Test information sharing agreement',
    version: 1,
    status: 'active',
    effectiveFrom: '2024-01-01',
    effectiveTo: '2028-12-31',
    reviewOn: '2027-01-01',
    respectsNationalDataOptOut: true,
    purposes: [{
      purpose: 'continuity-of-care',
      lawfulBasis: 'UK GDPR Art 6(1)(e); Art 9(2)(h)',
      providers: ['prison-hmp-northgate', 'treatment-northshire-recovery'],
      recipients: ['treatment-northshire-recovery', 'probation-northshire'],
      eventTypes: ['prison.release.recorded.v1', 'treatment.started.v1'],
      personLevel: true,
      retentionDays: 1095,
    }],
    ...overrides,
  };
}

export function registered(agreement: Agreement = anAgreement()): AgreementEvent {
  const { id, version, status, ...terms } = agreement;
  return { type: 'AgreementRegistered', data: { agreementId: id, version, status, terms, ...meta } };
}

export function stateOf(events: readonly AgreementEvent[]): AgreementState {
  return events.reduce(evolveAgreement, initialAgreementState);
}

/** Given / When / Then over the decider. */
export function given(...history: AgreementEvent[]) {
  const state = stateOf(history);
  return {
    when: (command: AgreementCommand) => ({
      then: (expected: readonly AgreementEvent[]) => expect(decideAgreement(command, state)).toEqual(expected),
      thenRefuses: (code: string, ...messageParts: string[]) => {
        let caught: unknown;
        try {
          decideAgreement(command, state);
        } catch (error) {
          caught = error;
        }
        expect(caught).toMatchObject({ name: 'DomainError', code });
        for (const part of messageParts) expect((caught as Error).message).toContain(part);
      },
    }),
  };
}
