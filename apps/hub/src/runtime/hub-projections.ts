import { AlertProcessor, AlertsProjection } from '@hub/alerts';
import { ContinuityProjection } from '@hub/continuity';
import { IdentityProcessor } from '@hub/identity';
import type { Projection } from '@hub/projections';
import { ReviewProcessor, ReviewQueueProjection } from '@hub/reviews';
import { AgreementExpiryProcessor } from '../use-cases/agreements/agreement-expiry.processor';
import type { HubRuntime } from './hub-runtime';

/**
 * Every projection the hub keeps, in dependency order: a processor that appends events (identity
 * links, alerts) comes before the projections that read them, so one catch-up pass settles all.
 */
export function hubProjections(hub: HubRuntime): Projection[] {
  return [
    new AgreementExpiryProcessor({ directories: hub.directories }),
    new IdentityProcessor({ vault: hub.vault }),
    new AlertProcessor({ vault: hub.vault, directories: hub.directories }),
    new AlertsProjection(),
    new ReviewProcessor(),
    new ReviewQueueProjection(),
    new ContinuityProjection({ vault: hub.vault, store: hub.store }),
  ];
}
