import { canonicalJson, DomainError, type AreaConfig } from '@hub/kernel';
import { decideAgreement } from '../agreement/agreement.decider';
import { agreementStreamId } from '../agreement/agreement.events';
import { initialAgreementState } from '../agreement/agreement.state';
import type { AreaDirectory } from './area-directory';
import { areaStreamId, type DirectoryEvent } from './hub-directory-events';

export interface DirectoryChange {
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly events: readonly DirectoryEvent[];
}

/**
 * `hub init --config`: what must be recorded so the directory matches the file. Loading the same
 * file twice decides nothing; a changed agreement becomes a revision (a new version).
 */
export function decideAreaConfiguration(config: AreaConfig, directory: AreaDirectory, meta: { by: string; at: string }): DirectoryChange[] {
  checkReferences(config);
  const changes: DirectoryChange[] = [];
  const areaStream = areaStreamId(config.area.id);
  const configured = { area: config.area, agencies: config.agencies };
  const current = { area: directory.area, agencies: [...directory.agencies.values()] };
  if (canonicalJson(configured) !== canonicalJson(current)) {
    changes.push({
      streamId: areaStream,
      expectedVersion: directory.versions.get(areaStream) ?? 0,
      events: [{ type: 'AreaConfigured', data: { ...configured, by: meta.by, at: meta.at } }],
    });
  }
  for (const agreement of config.agreements) {
    const streamId = agreementStreamId(agreement.id);
    const state = directory.agreements.get(agreement.id) ?? initialAgreementState;
    const events = decideAgreement(
      { type: 'RegisterAgreement', data: { agreement, by: meta.by, at: meta.at, reason: 'area configuration loaded' } },
      state,
    );
    if (events.length > 0) changes.push({ streamId, expectedVersion: directory.versions.get(streamId) ?? 0, events });
  }
  return changes;
}

/** What JSON Schema cannot say: ids are unique and agreements name agencies that exist. */
function checkReferences(config: AreaConfig): void {
  const agencyIds = new Set<string>();
  config.agencies.forEach((agency, index) => {
    if (agencyIds.has(agency.id)) {
      throw new DomainError('AREA.DUPLICATE_AGENCY', `/agencies/${index}/id: agency ${JSON.stringify(agency.id)} appears twice`);
    }
    agencyIds.add(agency.id);
  });
  const agreementIds = new Set<string>();
  config.agreements.forEach((agreement, a) => {
    if (agreementIds.has(agreement.id)) {
      throw new DomainError('AREA.DUPLICATE_AGREEMENT', `/agreements/${a}/id: agreement ${JSON.stringify(agreement.id)} appears twice`);
    }
    agreementIds.add(agreement.id);
    agreement.purposes.forEach((clause, p) => {
      for (const role of ['providers', 'recipients'] as const) {
        clause[role].forEach((agencyId, i) => {
          if (!agencyIds.has(agencyId)) {
            throw new DomainError(
              'AREA.UNKNOWN_AGENCY',
              `/agreements/${a}/purposes/${p}/${role}/${i}: ${JSON.stringify(agencyId)} is not an agency of the area`,
            );
          }
        });
      }
    });
  });
}
