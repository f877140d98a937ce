import type { AgreementState } from './agreement.state';
import { isRegistered } from './agreement.state';

/** Who asks to change an agreement: a hub administrator or an agency of the area. */
export interface AgreementActor {
  readonly agencyId: string;
  readonly admin: boolean;
}

export type AgreementAction = 'create' | 'activate' | 'suspend' | 'terminate' | 'expire' | 'revise';

export type AdministrationDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/**
 * Agreements are administered by the hub administrator (on the partnership's behalf: the
 * signatories agree outside the hub, the administrator records it). One exception: any party to an
 * agreement (a provider or a recipient in any clause) may suspend it at once, so a controller that
 * finds a problem can stop sharing without waiting for anyone; resuming is the administrator's.
 */
export function mayAdministerAgreement(actor: AgreementActor, action: AgreementAction, state: AgreementState): AdministrationDecision {
  if (actor.admin) return { allowed: true };
  if (action === 'suspend' && isRegistered(state)) {
    const parties = new Set(state.purposes.flatMap((clause) => [...clause.providers, ...clause.recipients]));
    if (parties.has(actor.agencyId)) return { allowed: true };
    return { allowed: false, reason: `${actor.agencyId} is not a party to agreement ${state.id}, so it may not suspend it` };
  }
  return { allowed: false, reason: `only the hub administrator may ${action} an agreement (a party may only suspend one it is party to)` };
}
