import { addDays, formatLocalDate, type LocalDate } from '@hub/kernel';
import { Permutation } from '../random/permutation';
import { Random } from '../random/random';
import { msPerDay, type SimulationContext } from '../simulation-context';
import { population } from '../story/parameters';
import type { PersonProfile, TrueSex } from '../story/person-profile';
import { commonSurnames, femaleGivenNames, givenNameWeights, maleGivenNames, surnameEndings, surnameStems } from './names';

/** Who the person really is. Agencies see parts of it, sometimes wrongly (see agency-view). */
export interface PersonIdentity {
  readonly index: number;
  readonly personId: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: LocalDate;
  readonly sex: TrueSex;
  readonly postcodeDistrict: string;
  readonly nhsNumber: string;
  readonly pncId: string | undefined;
  readonly nomisId: string;
  readonly deliusCrn: string;
  readonly hasPrisonHistory: boolean;
  readonly hasProbationHistory: boolean;
  /** The other twin's index, when the person is a twin. */
  readonly twinIndex: number | undefined;
}

const givenNameCount = maleGivenNames.length;
const uniqueNameSpace = surnameStems.length * surnameEndings.length * givenNameCount;
const maleWeights = givenNameWeights(maleGivenNames);
const femaleWeights = givenNameWeights(femaleGivenNames);

export function personIdOf(index: number): string {
  return `P${String(index).padStart(7, '0')}`;
}

export function drawIdentity(context: SimulationContext, index: number, profile: PersonProfile): PersonIdentity {
  const random = Random.of(context.seed, 'identity', index);
  const twinIndex = twinOf(context, index);
  const family = twinIndex === undefined ? undefined : Random.of(context.seed, 'family', Math.min(index, twinIndex));
  const commonNames = context.noise?.commonNames ?? 0;
  let givenName: string;
  let familyName: string;
  let dateOfBirth: LocalDate;
  if (family) {
    // Both twins draw the same family stream: same surname and birth date, distinct given-name slots.
    const useCommon = family.chance(commonNames);
    familyName = useCommon ? family.weighted(commonSurnames) : uniqueName(context, Math.min(index, twinIndex!)).familyName;
    dateOfBirth = birthDateFromAge(context, family, family.int(20, 50));
    const first = family.int(0, givenNameCount - 1);
    const second = (first + family.int(1, givenNameCount - 1)) % givenNameCount;
    givenName = namesFor(profile.sex)[index < twinIndex! ? first : second]!;
  } else {
    const useCommon = random.chance(commonNames);
    const unique = uniqueName(context, index);
    familyName = useCommon ? random.weighted(commonSurnames) : unique.familyName;
    givenName = useCommon ? random.weighted(profile.sex === 'F' ? femaleWeights : maleWeights) : namesFor(profile.sex)[unique.givenSlot]!;
    dateOfBirth = drawBirthDate(context, random, profile);
  }
  return {
    index,
    personId: personIdOf(index),
    givenName,
    familyName,
    dateOfBirth,
    sex: profile.sex,
    postcodeDistrict: `NN${profile.localAuthorityIndex * 4 + random.int(1, 4)}`,
    nhsNumber: context.identifiers.nhsNumber(index, random),
    pncId: profile.hasPoliceRecord ? context.identifiers.pncId(index, random, Number(context.from.slice(0, 4)) - 1) : undefined,
    nomisId: context.identifiers.nomisId(index),
    deliusCrn: context.identifiers.deliusCrn(index),
    hasPrisonHistory: profile.hasPrisonHistory,
    hasProbationHistory: profile.segment !== 'community-treatment',
    twinIndex,
  };
}

/** People 2k and 2k+1 are twins with probability `noise.twins`. */
function twinOf(context: SimulationContext, index: number): number | undefined {
  const rate = context.noise?.twins ?? 0;
  const partner = index ^ 1;
  if (rate <= 0 || partner >= context.people) return undefined;
  return Random.of(context.seed, 'twins', index >> 1).chance(rate) ? partner : undefined;
}

const namePermutations = new WeakMap<SimulationContext, Permutation>();

/** A (surname, given-name slot) pair no one else has, while people <= the name space (120,000). */
function uniqueName(context: SimulationContext, index: number): { familyName: string; givenSlot: number } {
  let permutation = namePermutations.get(context);
  if (!permutation) {
    permutation = new Permutation(uniqueNameSpace, context.seed, 'names');
    namePermutations.set(context, permutation);
  }
  const slot = permutation.apply(index % uniqueNameSpace);
  const surname = Math.floor(slot / givenNameCount);
  const stem = surnameStems[surname % surnameStems.length]!;
  const ending = surnameEndings[Math.floor(surname / surnameStems.length)]!;
  return { familyName: `${stem}${ending}`.replace(/(.)\1\1/, '$1$1'), givenSlot: slot % givenNameCount };
}

function namesFor(sex: TrueSex): readonly string[] {
  return sex === 'F' ? femaleGivenNames : maleGivenNames;
}

function drawBirthDate(context: SimulationContext, random: Random, profile: PersonProfile): LocalDate {
  if (profile.minorAtFirstRelease && profile.firstReleaseDay !== undefined) {
    // 17 on release day: born less than 18 years before it.
    const releasedOn = addDays(context.from, profile.firstReleaseDay);
    const eighteenthBirthday = `${Number(releasedOn.slice(0, 4)) - 18}${releasedOn.slice(4)}`.replace('-02-29', '-02-28');
    return addDays(eighteenthBirthday, random.int(1, 300));
  }
  if (random.chance(population.leapDayBirthShare)) {
    let year = Number(context.from.slice(0, 4)) - profile.ageAtStart - 1;
    while (!(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) year--;
    return `${year}-02-29`;
  }
  return birthDateFromAge(context, random, profile.ageAtStart);
}

function birthDateFromAge(context: SimulationContext, random: Random, ageAtStart: number): LocalDate {
  return formatLocalDate(context.fromMs - Math.floor((ageAtStart + random.next()) * 365.25) * msPerDay);
}
