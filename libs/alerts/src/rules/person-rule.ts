import type { RecordVersion, TimelineView } from '@hub/timeline';
import type { AlertCode, AlertTrigger, ResolutionReason } from '../alert';

/** One rule of SPEC section 6 over a person's linked timeline: pure, time as data. */
export interface PersonRule {
  readonly code: AlertCode;
  /** The alerts whose condition holds in `view` (what the hub knew) at the instant `at`. */
  fire(view: TimelineView, at: string): AlertTrigger[];
  /** Why an alert this rule raised no longer stands in `view`; undefined while it does. */
  resolution(trigger: AlertTrigger, view: TimelineView): ResolutionReason | undefined;
  /**
   * Instants at which the rule may fire with nothing new known (the checks the hub's clock drives),
   * from every version of the records, superseded ones too: an extra instant never changes what fires.
   */
  dueInstants?(versions: readonly RecordVersion[]): string[];
}

/** The trigger's records that are gone (retracted) from the view. */
export function triggerRetracted(trigger: AlertTrigger, view: TimelineView): boolean {
  return trigger.triggers.some((record) => !view.has(record.recordKey));
}
