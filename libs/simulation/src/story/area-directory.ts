import type { Agency, AreaConfig } from '@hub/kernel';

/** The agencies of the area, sorted out by the role they play in the stories. */
export class AreaDirectory {
  readonly localAuthorityCodes: readonly string[];
  readonly prisons: readonly Agency[];
  readonly providers: readonly Agency[];
  readonly police: Agency | undefined;
  readonly probation: Agency | undefined;
  readonly coroner: Agency | undefined;
  readonly ambulance: Agency | undefined;
  readonly hospital: Agency | undefined;

  constructor(config: AreaConfig) {
    this.localAuthorityCodes = config.area.localAuthorities.map((authority) => authority.code);
    if (this.localAuthorityCodes.length === 0) {
      throw new RangeError('area.localAuthorities is empty: the simulator needs at least one local authority');
    }
    const ofKind = (kind: Agency['kind']) => config.agencies.filter((agency) => agency.kind === kind);
    this.prisons = ofKind('prison').filter((agency) => agency.prisonId);
    this.providers = ofKind('treatment').filter((agency) => agency.providerId);
    this.police = ofKind('police')[0];
    this.probation = ofKind('probation')[0];
    this.coroner = ofKind('coroner')[0];
    const nhs = ofKind('nhs');
    this.ambulance = nhs.find((agency) => /ambulance/i.test(`${agency.id} ${agency.name}`)) ?? nhs[0];
    this.hospital = nhs.find((agency) => agency !== this.ambulance) ?? this.ambulance;
  }

  /** The community provider commissioned for a local authority (round robin over the area's providers). */
  providerFor(localAuthorityIndex: number): Agency | undefined {
    return this.providers[localAuthorityIndex % Math.max(1, this.providers.length)];
  }
}
