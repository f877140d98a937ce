import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { PendingEngagement } from '@hub/continuity';
import { DomainError, londonDateOf } from '@hub/kernel';
import type { AccessGranted } from '@hub/sharing';
import { ReadAccessService } from '../../access/read-access.service';
import { HubRuntime } from '../../runtime/hub-runtime';
import { continuityQueriesOf, releaseType } from './continuity-report.handler';
import { PendingEngagementsQuery } from './pending-engagements.query';

export type PresentedPendingEngagement = Omit<PendingEngagement, 'provider'>;

const worklistPurpose = 'continuity-of-care';
const shownFields = ['personRef', 'releasedOn', 'prisonId', 'localAuthority', 'substanceGroup', 'referredOn', 'windowEndsOn', 'daysLeft'];

/**
 * Person-level: only for a recipient with a person-level continuity-of-care clause covering the
 * prison that published each release; every person shown is written to the disclosure log.
 */
@QueryHandler(PendingEngagementsQuery)
export class PendingEngagementsHandler implements IQueryHandler<PendingEngagementsQuery> {
  constructor(private readonly hub: HubRuntime, private readonly access: ReadAccessService) {}

  async execute({ principal, purpose }: PendingEngagementsQuery): Promise<PresentedPendingEngagement[]> {
    if (purpose !== worklistPurpose) {
      throw new DomainError('ACCESS.DENIED', `X-Purpose: the engagement worklist is read for ${worklistPurpose}, not ${purpose}`);
    }
    const auth = await this.access.authorize(principal, purpose);
    if (!auth.personLevel) {
      throw new DomainError('ACCESS.DENIED', `${auth.recipient} has no person-level ${worklistPurpose} clause: the worklist names people`);
    }
    const agency = (await this.hub.directories.current()).agencies.get(auth.recipient);
    if (agency?.kind !== 'treatment' || !agency.providerId) {
      throw new DomainError('ACCESS.DENIED', `${auth.recipient} is not a treatment provider: the worklist lists people referred to one`);
    }
    const today = londonDateOf(this.hub.clock.now());
    const pending = await continuityQueriesOf(this.hub).pendingFor(agency.providerId, today);
    const byClause = new Map<string, { grant: AccessGranted; personRefs: string[] }>();
    const shown: PresentedPendingEngagement[] = [];
    for (const { provider, ...row } of pending) {
      const grant = auth.grant(provider, releaseType);
      if (!grant?.personLevel) continue;
      shown.push(row);
      const entry = byClause.get(grant.clause) ?? { grant, personRefs: [] };
      entry.personRefs.push(row.personRef);
      byClause.set(grant.clause, entry);
    }
    for (const { grant, personRefs } of byClause.values()) {
      await this.access.recordDisclosure(auth, grant, { personRefs, fields: shownFields, channel: 'worklist' });
    }
    return shown;
  }
}
