import type { PoolClient } from 'pg';
import { londonDateOf } from '@hub/kernel';
import { nameBasedId } from '@hub/outbox';
import type { Projection, ProjectionContext } from '@hub/projections';
import {
  agreementList, agreementStreamId, type AreaDirectoryRepository, decideAgreement, type DirectoryChange, directoryStoreTypeList,
} from '@hub/sharing';
import { recordDirectoryChanges } from './directory-changes';

export const agreementClock = 'hub:clock';

/**
 * Expires agreements at `effectiveTo` from the hub's clock: on each tick (live mode only), every
 * active or suspended agreement whose `effectiveTo` is before today (Europe/London) gets an
 * `AgreementExpired` event (`automatic: true`, by `hub:clock`) and its parties a notice. The
 * policy already denies from that day on whether or not this has run; this records it. Event ids
 * are derived from the agreement and version, so a tick run twice appends once.
 */
export class AgreementExpiryProcessor implements Projection {
  readonly name = 'agreement-expiry';
  readonly version = 1;
  readonly eventTypes = directoryStoreTypeList;

  constructor(private readonly deps: { directories: AreaDirectoryRepository }) {}

  async install(_client: PoolClient, _schema: string): Promise<void> {
    // No tables: the agreements live in the log, the directory is folded from it.
  }

  async apply(): Promise<void> {
    // Nothing to keep: expiry is decided from the clock in `tick`.
  }

  async tick(ctx: ProjectionContext): Promise<void> {
    if (ctx.mode !== 'live') return;
    const before = await this.deps.directories.current();
    const areaId = before.area?.id;
    if (!areaId) return;
    const today = londonDateOf(ctx.now);
    const at = ctx.now.toISOString();
    const changes: DirectoryChange[] = agreementList(before).flatMap((agreement) => {
      const events = decideAgreement({
        type: 'ObserveDate', data: { agreementId: agreement.id, today, by: agreementClock, reason: 'daily check of effectiveTo', at },
      }, agreement);
      const streamId = agreementStreamId(agreement.id);
      return events.length ? [{ streamId, expectedVersion: before.versions.get(streamId) ?? 0, events }] : [];
    });
    if (changes.length === 0) return;
    const versionOf = new Map(agreementList(before).map((a) => [agreementStreamId(a.id), `${a.id}:v${a.version}`]));
    await recordDirectoryChanges(ctx.client, (requests) => ctx.append(requests), {
      before, changes, areaId, at, by: agreementClock,
      eventIdOf: (streamId, index) => nameBasedId(`agreement-expired:${versionOf.get(streamId)}:${index}`),
    });
  }
}
