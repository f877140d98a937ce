import fc from 'fast-check';

/**
 * Small random but valid worlds for the continuity-of-care properties (SPEC section 5): a few
 * people, each with releases (treatment need, referral, release type and age varying), treatment
 * starts in and out of the window and in prison setting, receptions and deaths, some records
 * corrected under the same recordId (with a later or an earlier `time`) and some retracted, and
 * the identity links of some of their agency subjects. Days are offsets from the world's first
 * day, so the same world can be placed anywhere in the calendar.
 *
 * Every record has its own recordId and every version its own `time`: the rules then give one
 * answer whatever the arrival order (ties on `time` are broken by arrival, by design).
 */
export interface WorldRecord {
  /** Day offset of the record's business date. */
  readonly day: number;
  /** A second version under the same recordId: its day, and whether its `time` is after the first's (it wins) or before (it loses). */
  readonly correction: { readonly day: number; readonly later: boolean } | null;
  readonly retracted: boolean;
}

export interface WorldRelease extends WorldRecord {
  readonly releaseType: 'licence' | 'end-of-sentence' | 'remand-ended' | 'transfer' | 'deportation';
  readonly treatmentNeed: boolean;
  readonly referral: boolean;
  /** Index into the world's destination local authorities. */
  readonly localAuthority: number;
}

export interface WorldStart extends WorldRecord {
  readonly setting: 'community' | 'inpatient' | 'residential' | 'prison';
}

export interface WorldDeath extends WorldRecord {
  /** A police suspected-drug-death report, or a treatment discharge with reason `died`. */
  readonly via: 'report' | 'discharge';
}

export interface WorldPerson {
  /**
   * `adult`; `near-18`: the 18th birthday falls on day 10, amid the releases; `unknown`: the
   * releases carry no date of birth (the other records may: a renderer decides whose).
   */
  readonly age: 'adult' | 'near-18' | 'unknown';
  readonly releases: readonly WorldRelease[];
  readonly starts: readonly WorldStart[];
  readonly receptions: readonly WorldRecord[];
  readonly deaths: readonly WorldDeath[];
  /** Which of the person's agency subjects identity has linked (a subject linked to nobody is judged on its own stream). */
  readonly linked: { readonly prison: boolean; readonly treatment: boolean; readonly police: boolean };
}

export interface World {
  readonly people: readonly WorldPerson[];
}

/** The last day offset any record can have. */
export const worldLastDay = 50;

// Edges of the window are over-represented: day 0, 21 and 22 after the release days used most.
const day = fc.oneof(fc.integer({ min: 0, max: worldLastDay }), fc.constantFrom(0, 1, 10, 11, 21, 22, 31, 32, 33));
const releaseDay = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(0, 10, 11));
const correction = (days: fc.Arbitrary<number>) => fc.option(fc.record({ day: days, later: fc.boolean() }), { freq: 3 });
const retracted = fc.constantFrom(false, false, false, true);

const release: fc.Arbitrary<WorldRelease> = fc.record({
  day: releaseDay, correction: correction(releaseDay), retracted,
  releaseType: fc.constantFrom('licence', 'licence', 'licence', 'end-of-sentence', 'remand-ended', 'transfer', 'deportation'),
  treatmentNeed: fc.constantFrom(true, true, true, true, false), referral: fc.constantFrom(true, true, true, true, false),
  localAuthority: fc.integer({ min: 0, max: 2 }),
});
const record: fc.Arbitrary<WorldRecord> = fc.record({ day, correction: correction(day), retracted });
const start: fc.Arbitrary<WorldStart> = fc.record({
  day, correction: correction(day), retracted, setting: fc.constantFrom('community', 'community', 'inpatient', 'residential', 'prison'),
});
const death: fc.Arbitrary<WorldDeath> = fc.record({ day, correction: correction(day), retracted, via: fc.constantFrom('report', 'discharge') });

export const worldPerson: fc.Arbitrary<WorldPerson> = fc.record({
  age: fc.constantFrom('adult', 'adult', 'near-18', 'unknown'),
  releases: fc.array(release, { minLength: 1, maxLength: 2 }),
  starts: fc.array(start, { maxLength: 3 }),
  receptions: fc.array(record, { maxLength: 1 }),
  deaths: fc.oneof(fc.constant([]), fc.constant([]), fc.array(death, { minLength: 1, maxLength: 1 })),
  linked: fc.record({ prison: fc.constantFrom(true, true, true, false), treatment: fc.constantFrom(true, true, true, false), police: fc.boolean() }),
});

export const world: fc.Arbitrary<World> = fc.record({ people: fc.array(worldPerson, { minLength: 1, maxLength: 4 }) });

/**
 * A world's arrivals in some order, and a point splitting them into two batches: `order` is a
 * permutation of the indices of whatever list of arrivals a test renders the world into.
 */
export function arrivalOrder(count: number): fc.Arbitrary<{ order: number[]; split: number }> {
  const indices = Array.from({ length: count }, (_, i) => i);
  return fc.record({ order: fc.shuffledSubarray(indices, { minLength: count, maxLength: count }), split: fc.integer({ min: 0, max: count }) });
}
