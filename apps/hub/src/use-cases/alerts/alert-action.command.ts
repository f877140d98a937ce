import { Command } from '@nestjs/cqrs';
import type { AlertStatus } from '@hub/alerts';

/** A recipient acknowledges an alert (with a note saying what they are doing) or closes it. */
export class AlertActionCommand extends Command<{ id: string; status: AlertStatus }> {
  constructor(readonly action: 'acknowledge' | 'close', readonly alertId: string, readonly by: string, readonly note: string) {
    super();
  }
}
