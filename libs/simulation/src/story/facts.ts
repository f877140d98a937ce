import type { Agency } from '@hub/kernel';
import type {
  DischargeReason, OverdoseSetting, ReceptionReason, ReleaseType, Requirement, SubstanceGroup, TreatmentSetting,
} from './parameters';

/**
 * What happened in a person's story, before any agency writes it down. `day` is a day of the
 * window (0 = `from`); `atMs` an instant. The publisher turns facts into agency events.
 */
export type Fact =
  | { readonly type: 'reception'; readonly day: number; readonly prison: Agency; readonly reason: ReceptionReason }
  | {
      readonly type: 'release'; readonly day: number; readonly prison: Agency; readonly releaseType: ReleaseType;
      readonly localAuthority: string; readonly treatmentNeed: boolean; readonly substanceGroup: SubstanceGroup | null;
      readonly referral: { readonly provider: Agency; readonly day: number } | null; readonly naloxoneIssued: boolean;
    }
  | { readonly type: 'referral'; readonly day: number; readonly provider: Agency; readonly referralSource: ReferralSource }
  | {
      readonly type: 'treatment-start'; readonly day: number; readonly provider: Agency; readonly localAuthority: string;
      readonly setting: TreatmentSetting; readonly substanceGroup: SubstanceGroup | null;
    }
  | { readonly type: 'treatment-discharge'; readonly day: number; readonly provider: Agency; readonly reason: DischargeReason }
  | {
      readonly type: 'supervision-start'; readonly day: number; readonly localAuthority: string;
      readonly requirement: Requirement; readonly drugRehabilitationRequirement: boolean;
    }
  | { readonly type: 'supervision-end'; readonly day: number; readonly reason: string }
  | {
      readonly type: 'drug-test'; readonly atMs: number; readonly localAuthority: string; readonly triggerOffence: boolean;
      readonly results: readonly DrugTestResult[]; readonly requiredAssessment: boolean;
    }
  | {
      readonly type: 'overdose'; readonly atMs: number; readonly localAuthority: string; readonly setting: OverdoseSetting;
      readonly suspectedSubstances: readonly string[]; readonly naloxoneAdministered: boolean;
    }
  | {
      readonly type: 'death'; readonly day: number; readonly localAuthority: string;
      readonly suspectedSubstances: readonly string[]; readonly circumstances: string;
    }
  | {
      readonly type: 'inquest'; readonly day: number; readonly drugRelated: boolean;
      readonly substances: readonly string[]; readonly conclusion: string;
    };

export type ReferralSource = 'prison' | 'police' | 'probation' | 'health' | 'self' | 'other';

export interface DrugTestResult {
  readonly substance: 'opiates' | 'cocaine' | 'other';
  readonly result: 'positive' | 'negative' | 'refused';
}

/** Where the story hands its facts; `today` is the window day being simulated (facts are never published before it). */
export interface FactSink {
  record(fact: Fact, today: number): void;
}
