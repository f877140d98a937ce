import type { AreaConfig, LocalDate } from '@hub/kernel';

export interface SimulationOptions {
  readonly area: AreaConfig;
  /** How many people to simulate (each gets a story; a few produce no event in the window). */
  readonly people: number;
  readonly seed: string | number;
  /** First day of the window, `YYYY-MM-DD`; events have `time` in [from, from + months). */
  readonly from: LocalDate;
  readonly months: number;
  /** Identifier and name noise for linkage benchmarks; absent = clean identifiers. */
  readonly noise?: NoiseOptions;
}

/**
 * Rates in [0, 1]. Record-level rates apply to each agency's record of a person (its person
 * block, the same on every event that agency publishes about the person).
 */
export interface NoiseOptions {
  /** One edit (insert, delete, substitute, transpose) in the given or family name. */
  readonly nameTypo?: number;
  /** Given name recorded as a nickname (Robert -> Bob), where the name has one. */
  readonly nickname?: number;
  /** Date of birth with day and month swapped, where that gives a different real date. */
  readonly dobTransposed?: number;
  /** Date of birth with one digit off by one (still a real date). */
  readonly dobDigitOff?: number;
  /** Each identifier other than the agency's own dropped from the block. */
  readonly missingIdentifier?: number;
  /** Share of people who have a twin in the population: same surname and date of birth, different given name and identifiers. */
  readonly twins?: number;
  /** Share of people whose names come from the skewed common-name tables (Smith, Jones...). */
  readonly commonNames?: number;
}

/** The true person behind an agency's subject. */
export interface GroundTruthEntry {
  readonly source: string;
  readonly subject: string;
  readonly personId: string;
}

/**
 * The noise model of the linkage benchmark (`hub simulate --noise default`): per agency record, 5% a
 * name typo, 5% a nickname, 2% day and month swapped, 2% one digit off in the date of birth, 20% of
 * other identifiers left out; 2% of people have a twin (same surname and date of birth) and 30%
 * draw from the common-name tables (Smith, Jones...).
 */
export const defaultNoise: NoiseOptions = {
  nameTypo: 0.05, nickname: 0.05, dobTransposed: 0.02, dobDigitOff: 0.02, missingIdentifier: 0.2, twins: 0.02, commonNames: 0.3,
};

/** Named noise models for `hub simulate --noise NAME`. */
export const noiseModels: Readonly<Record<string, NoiseOptions>> = { default: defaultNoise };
