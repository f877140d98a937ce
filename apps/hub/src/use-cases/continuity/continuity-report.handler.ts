import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type ContinuityReport, ContinuityQueries, parseReportRequest, StoreLinkedBirthDates } from '@hub/continuity';
import { DomainError, type Purpose } from '@hub/kernel';
import { ReadAccessService, type ReadAuthorization } from '../../access/read-access.service';
import { HubRuntime } from '../../runtime/hub-runtime';
import { reportOptOut } from '../opt-out/report-opt-out';
import { ContinuityReportQuery } from './continuity-report.query';

export const releaseType = 'prison.release.recorded.v1';
const reportPurposes: readonly Purpose[] = ['continuity-of-care', 'aggregate-reporting'];

/**
 * Counts only releases whose publishing prison shares them with the caller for the purpose; under
 * aggregate-reporting, or for a recipient with no person-level clause, disclosure control is always on.
 * Under aggregate-reporting, NHS data of people on the National Data Opt-out register is left out
 * where the agreement that lets the caller have it respects the opt-out.
 */
@QueryHandler(ContinuityReportQuery)
export class ContinuityReportHandler implements IQueryHandler<ContinuityReportQuery> {
  constructor(private readonly hub: HubRuntime, private readonly access: ReadAccessService) {}

  async execute({ principal, purpose, parameters }: ContinuityReportQuery): Promise<ContinuityReport> {
    if (!reportPurposes.includes(purpose)) {
      throw new DomainError('ACCESS.DENIED', `X-Purpose: the continuity-of-care report is read for ${reportPurposes.join(' or ')}, not ${purpose}`);
    }
    const auth = await this.access.authorize(principal, purpose);
    const controlled = purpose === 'aggregate-reporting' || !auth.personLevel;
    const request = parseReportRequest({ ...parameters, ...(controlled ? { disclosure: 'published' } : {}) });
    const providers = await releaseProvidersFor(this.hub, auth);
    const optOut = await reportOptOut(this.hub, { purpose, on: auth.on, recipient: auth.recipient });
    return continuityQueriesOf(this.hub).report(request, { now: this.hub.clock.now(), providers, ...(optOut ? { optOut } : {}) });
  }
}

/** The report's reads, with linked records' dates of birth opened from the log when a release has none. */
export function continuityQueriesOf(hub: HubRuntime): ContinuityQueries {
  return new ContinuityQueries(hub.database, new StoreLinkedBirthDates(hub.store, hub.vault, hub.database));
}

/** The agencies whose releases the caller may count: a grant of `prison.release.recorded.v1` from each. */
export async function releaseProvidersFor(hub: HubRuntime, auth: ReadAuthorization): Promise<string[]> {
  const directory = await hub.directories.current();
  return [...directory.agencies.keys()].filter((agency) => auth.grant(agency, releaseType) !== undefined).sort();
}
