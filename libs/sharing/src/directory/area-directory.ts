import type { Agency, Area } from '@hub/kernel';
import { evolveAgreement, initialAgreementState, isRegistered, type RegisteredAgreement } from '../agreement/agreement.state';
import type { DirectoryEvent } from './hub-directory-events';

/** Who is in the area and what they agreed: everything ingest and the sharing policy consult. */
export interface AreaDirectory {
  readonly area: Area | undefined;
  readonly agencies: ReadonlyMap<string, Agency>;
  readonly agreements: ReadonlyMap<string, RegisteredAgreement>;
  /** Stream versions, for appending with an expected version. */
  readonly versions: ReadonlyMap<string, number>;
}

export const emptyDirectory: AreaDirectory = { area: undefined, agencies: new Map(), agreements: new Map(), versions: new Map() };

export function evolveDirectory(directory: AreaDirectory, event: DirectoryEvent, stream?: { id: string; position: number }): AreaDirectory {
  const versions = stream ? new Map(directory.versions).set(stream.id, stream.position) : directory.versions;
  if (event.type === 'AreaConfigured') {
    return { ...directory, versions, area: event.data.area, agencies: new Map(event.data.agencies.map((agency) => [agency.id, agency])) };
  }
  const id = event.data.agreementId;
  const next = evolveAgreement(directory.agreements.get(id) ?? initialAgreementState, event);
  const agreements = new Map(directory.agreements);
  if (isRegistered(next)) agreements.set(id, next);
  return { ...directory, versions, agreements };
}

export function agencyOf(directory: AreaDirectory, agencyId: string): Agency | undefined {
  return directory.agencies.get(agencyId);
}

export function agreementList(directory: AreaDirectory): readonly RegisteredAgreement[] {
  return [...directory.agreements.values()];
}
