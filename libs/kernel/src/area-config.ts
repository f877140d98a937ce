import type { AgencyKind } from './catalogue';

/** The area configuration (SPEC section 4), as loaded by `hub init --config area.json`. */
export interface AreaConfig {
  readonly area: Area;
  readonly agencies: readonly Agency[];
  readonly agreements: readonly Agreement[];
}

export interface Area {
  readonly id: string;
  readonly name: string;
  readonly localAuthorities: readonly { readonly code: string; readonly name: string }[];
}

export interface Agency {
  readonly id: string;
  readonly kind: AgencyKind;
  readonly name: string;
  /** Prisons: the establishment code used in `data.prisonId`. */
  readonly prisonId?: string;
  /** Treatment providers: the code used in `data.providerId` and in referrals. */
  readonly providerId?: string;
  /**
   * An NHS body (trust, foundation trust) whatever its kind, e.g. a treatment service run by an NHS
   * trust: what it provides is NHS data, under the National Data Opt-out. Agencies of kind `nhs` are NHS bodies without saying so.
   */
  readonly nhsBody?: boolean;
}

export const purposes = ['continuity-of-care', 'near-miss-alerting', 'drd-review', 'aggregate-reporting'] as const;
export type Purpose = (typeof purposes)[number];

export const agreementStatuses = ['draft', 'active', 'suspended', 'expired', 'terminated'] as const;
export type AgreementStatus = (typeof agreementStatuses)[number];

export interface Agreement {
  readonly id: string;
  readonly title: string;
  readonly version: number;
  readonly status: AgreementStatus;
  readonly effectiveFrom: string;
  readonly effectiveTo: string;
  readonly reviewOn: string;
  readonly respectsNationalDataOptOut: boolean;
  readonly purposes: readonly AgreementPurpose[];
}

export interface AgreementPurpose {
  readonly purpose: Purpose;
  readonly lawfulBasis: string;
  readonly providers: readonly string[];
  readonly recipients: readonly string[];
  /** Catalogue types, or `*` for every type. */
  readonly eventTypes: readonly string[];
  readonly personLevel: boolean;
  readonly retentionDays: number;
  /** Optional field-level grant: data fields recipients may see; absent means every field of the types. */
  readonly fields?: readonly string[];
}
