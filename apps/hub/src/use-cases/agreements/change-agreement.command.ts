import { Command } from '@nestjs/cqrs';
import type { Agreement } from '@hub/kernel';
import type { AgreementAction, AgreementActor, AgreementTerms } from '@hub/sharing';
import type { AgreementView } from './agreement-view';

export type AgreementChange =
  | { readonly action: 'create'; readonly agreement: Agreement }
  | { readonly action: 'activate' | 'suspend' | 'terminate' | 'expire'; readonly agreementId: string }
  | { readonly action: 'revise'; readonly agreementId: string; readonly terms: AgreementTerms };

/** A lifecycle change asked for through the API: recorded as an agreement event with who and why. */
export class ChangeAgreementCommand extends Command<{ agreement: AgreementView; recorded: number }> {
  constructor(readonly actor: AgreementActor, readonly change: AgreementChange & { readonly action: AgreementAction }, readonly reason: string) {
    super();
  }
}
