import type { Agency, PersonBlock, PublishingKind, Sex } from '@hub/kernel';
import { nicknameOf, transposedDayMonth, withDigitOff, withTypo } from '../noise/record-noise';
import { Random } from '../random/random';
import type { SimulationContext } from '../simulation-context';
import type { PersonIdentity } from './person-identity';

/** How an agency knows a person: its own subject and the person block on each of its events. */
export interface AgencyView {
  readonly source: string;
  readonly subject: string;
  readonly person: PersonBlock;
}

type Identifier = 'nhsNumber' | 'pncId' | 'nomisId' | 'deliusCrn';

/** Chance that an agency's record holds each item (when the person has it at all). */
const knowledge: Record<PublishingKind, Record<Identifier | 'names' | 'dateOfBirth' | 'sexUnknown' | 'postcodeDistrict', number>> = {
  prison: { nhsNumber: 0.7, pncId: 0.9, nomisId: 1, deliusCrn: 0.4, names: 1, dateOfBirth: 1, sexUnknown: 0, postcodeDistrict: 0.6 },
  probation: { nhsNumber: 0.2, pncId: 0.9, nomisId: 0.8, deliusCrn: 1, names: 1, dateOfBirth: 1, sexUnknown: 0, postcodeDistrict: 0.9 },
  police: { nhsNumber: 0.05, pncId: 1, nomisId: 0.2, deliusCrn: 0.15, names: 1, dateOfBirth: 0.98, sexUnknown: 0.01, postcodeDistrict: 0.7 },
  nhs: { nhsNumber: 1, pncId: 0, nomisId: 0, deliusCrn: 0, names: 0.95, dateOfBirth: 0.97, sexUnknown: 0.03, postcodeDistrict: 0.85 },
  treatment: { nhsNumber: 0.55, pncId: 0.05, nomisId: 0.2, deliusCrn: 0.15, names: 0.97, dateOfBirth: 1, sexUnknown: 0.02, postcodeDistrict: 0.9 },
  coroner: { nhsNumber: 0.5, pncId: 0, nomisId: 0, deliusCrn: 0, names: 1, dateOfBirth: 1, sexUnknown: 0, postcodeDistrict: 0.5 },
};

const ownIdentifier: Partial<Record<PublishingKind, Identifier>> = {
  prison: 'nomisId', probation: 'deliusCrn', police: 'pncId', nhs: 'nhsNumber',
};

export function agencyView(context: SimulationContext, identity: PersonIdentity, agency: Agency): AgencyView {
  const kind = agency.kind as PublishingKind;
  return {
    source: `agency:${agency.id}`,
    subject: subjectFor(context, identity, agency, kind),
    person: personBlock(context, identity, agency, kind),
  };
}

function subjectFor(context: SimulationContext, identity: PersonIdentity, agency: Agency, kind: PublishingKind): string {
  switch (kind) {
    case 'prison': return identity.nomisId;
    case 'probation': return identity.deliusCrn;
    case 'police': return identity.pncId ?? context.identifiers.caseReference('NSP', identity.index);
    case 'nhs': return identity.nhsNumber;
    case 'treatment': return context.identifiers.clientId(agency.providerId ?? agency.id, identity.index);
    case 'coroner': return context.identifiers.caseReference('COR', identity.index);
  }
}

function personBlock(context: SimulationContext, identity: PersonIdentity, agency: Agency, kind: PublishingKind): PersonBlock {
  const knows = knowledge[kind];
  const random = Random.of(context.seed, 'knowledge', identity.index, agency.id);
  const own = ownIdentifier[kind];
  const held: Record<Identifier, string | undefined> = {
    nhsNumber: identity.nhsNumber,
    pncId: identity.pncId,
    nomisId: identity.hasPrisonHistory || kind === 'prison' ? identity.nomisId : undefined,
    deliusCrn: identity.hasProbationHistory || kind === 'probation' ? identity.deliusCrn : undefined,
  };
  const has = (item: keyof typeof knows) => random.chance(knows[item]);
  const ids = {} as Record<Identifier, string | undefined>;
  for (const id of ['nhsNumber', 'pncId', 'nomisId', 'deliusCrn'] as const) ids[id] = id === own || has(id) ? held[id] : undefined;
  const names = has('names');
  const block = {
    ...ids,
    givenName: names ? identity.givenName : undefined,
    familyName: names ? identity.familyName : undefined,
    dateOfBirth: has('dateOfBirth') ? identity.dateOfBirth : undefined,
    sex: (has('sexUnknown') ? 'U' : identity.sex) as Sex,
    postcodeDistrict: has('postcodeDistrict') ? identity.postcodeDistrict : undefined,
  };
  if (context.noise) addNoise(block, Random.of(context.seed, 'noise', identity.index, agency.id), context, own);
  if (!block.nhsNumber && !block.pncId && !block.nomisId && !block.deliusCrn && !(block.familyName && block.dateOfBirth)) {
    block.familyName = identity.familyName;
    block.dateOfBirth = identity.dateOfBirth;
  }
  return withoutUndefined(block);
}

type MutableBlock = { -readonly [K in keyof PersonBlock]: PersonBlock[K] };

function addNoise(block: MutableBlock, random: Random, context: SimulationContext, own: Identifier | undefined): void {
  const noise = context.noise!;
  // Draw every decision, applicable or not, so one noise type does not shift another's draws.
  const nickname = random.chance(noise.nickname ?? 0);
  const typo = random.chance(noise.nameTypo ?? 0);
  const typoInFamilyName = random.chance(0.5);
  const transposed = random.chance(noise.dobTransposed ?? 0);
  const digitOff = random.chance(noise.dobDigitOff ?? 0);
  if (nickname && block.givenName) block.givenName = nicknameOf(block.givenName, random) ?? block.givenName;
  if (typo && block.givenName && block.familyName) {
    if (typoInFamilyName) block.familyName = withTypo(block.familyName, random);
    else block.givenName = withTypo(block.givenName, random);
  }
  if (transposed && block.dateOfBirth) block.dateOfBirth = transposedDayMonth(block.dateOfBirth) ?? block.dateOfBirth;
  if (digitOff && block.dateOfBirth) block.dateOfBirth = withDigitOff(block.dateOfBirth, random);
  for (const id of ['nhsNumber', 'pncId', 'nomisId', 'deliusCrn'] as const) {
    if (random.chance(noise.missingIdentifier ?? 0) && id !== own) block[id] = undefined;
  }
}

/** The SPEC's key order, without absent items, so equal blocks serialise to equal bytes. */
function withoutUndefined(block: MutableBlock): PersonBlock {
  const result: MutableBlock = {};
  for (const key of ['nhsNumber', 'pncId', 'nomisId', 'deliusCrn', 'givenName', 'familyName', 'dateOfBirth', 'sex', 'postcodeDistrict'] as const) {
    if (block[key] !== undefined) (result as Record<string, unknown>)[key] = block[key];
  }
  return result;
}
