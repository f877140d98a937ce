import type { Agency } from '@hub/kernel';
import type { ReferralSource } from './facts';
import type {
  DischargeReason, ReceptionReason, ReleaseType, Requirement, SubstanceGroup, TreatmentSetting,
} from './parameters';

/** Things planned for a later day of the story; stale ones (their episode is over) are ignored. */
export type AgendaItem =
  | { readonly kind: 'custody-start'; readonly day: number; readonly reason: ReceptionReason; readonly releaseDay?: number; readonly releaseType?: ReleaseType }
  | { readonly kind: 'plan-release'; readonly day: number; readonly custodyId: number }
  | { readonly kind: 'release'; readonly day: number; readonly custodyId: number }
  | {
      readonly kind: 'treatment-start'; readonly day: number; readonly token: number; readonly provider: Agency;
      readonly setting: TreatmentSetting; readonly referralSource: ReferralSource;
    }
  | { readonly kind: 'treatment-end'; readonly day: number; readonly episodeId: number; readonly reason: DischargeReason }
  | { readonly kind: 'supervision-start'; readonly day: number; readonly requirement: Requirement; readonly drugRehabilitationRequirement: boolean }
  | { readonly kind: 'supervision-end'; readonly day: number; readonly supervisionId: number; readonly reason: string }
  | { readonly kind: 'inquest'; readonly day: number; readonly drugRelated: boolean; readonly substances: readonly string[] };

export interface ReleasePlan {
  readonly treatmentNeed: boolean;
  readonly substanceGroup: SubstanceGroup | null;
  readonly referral: { readonly provider: Agency; readonly day: number } | null;
  readonly naloxoneIssued: boolean;
}

export interface CustodyEpisode {
  readonly id: number;
  readonly prison: Agency;
  readonly releaseDay: number;
  readonly releaseType: ReleaseType;
  plan: ReleasePlan | undefined;
}

export interface StoryState {
  status: 'community' | 'custody' | 'away' | 'dead';
  custody: CustodyEpisode | undefined;
  treatment: { readonly id: number; readonly provider: Agency } | undefined;
  /** The token of the one planned treatment start still awaited; a new token cancels the old plan. */
  plannedStartToken: number | undefined;
  supervision: { readonly id: number; readonly requirement: Requirement } | undefined;
  lastReleaseDay: number | undefined;
  lastOverdoseDay: number | undefined;
}
