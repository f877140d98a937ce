import { deliusCrnPattern, isValidNhsNumber, nomisIdPattern, type PersonBlock, pncIdPattern } from '@hub/kernel';

/**
 * Exact person linking (SPEC section 5, "Linking for this purpose"), as blocking keys and a decision.
 *
 * A rule turns a person block into blocking keys: values that, when two subjects share them, make
 * those subjects candidates. Keys are blind indexes (`blind` is the vault's keyed hash), so the
 * tables that hold them never hold an identifier, a name or a date of birth in clear. The decision
 * then says whether two candidates sharing a key are the same person, and which rule says so: the
 * evidence. A probabilistic rule (issue 8) fits the same shape: more, looser keys and a scored decision.
 */

export type LinkRuleName =
  | 'shared-nhs-number'
  | 'shared-pnc-id'
  | 'shared-nomis-number'
  | 'shared-crn'
  | 'same-name-and-date-of-birth'
  /** Probabilistic (issue 8): the model's weight passed the upper threshold, or a reviewer linked the pair. */
  | 'probable-match'
  | 'reviewer-linked';

/** Blind index of a normalised value (the vault's `blind`). */
export type Blind = (normalisedValue: string) => string;

/**
 * Keys that do not link by themselves: the probabilistic model's blocking keys (`probable:<rule>`,
 * candidates it scores) and the names' term-frequency keys (`tf-given`, `tf-family`: how many
 * subjects share a name, counted by its blind index).
 */
export type ComparisonKeyKind = `probable:${string}` | 'tf-given' | 'tf-family';

/** One blocking key of a subject: `key` is `<rule>:<blind value>`. */
export interface BlockingKey {
  readonly rule: LinkRuleName | ComparisonKeyKind;
  readonly key: string;
  /**
   * A qualifier the decision compares when two subjects share `key`, blind as well ('' when none).
   * For the name rule: the blind of name, date of birth and sex when sex is M, F or X, '' when U or missing.
   */
  readonly qualifier: string;
}

export interface LinkRule {
  readonly name: LinkRuleName;
  keysOf(person: PersonBlock, blind: Blind): BlockingKey[];
  /** Two subjects share a key of this rule: are they the same person by it? */
  decide(a: BlockingKey, b: BlockingKey): boolean;
}

/** Identifiers are compared without spaces, upper-cased. */
export function normaliseIdentifier(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** Names are compared after trimming, collapsing spaces, lower-casing and removing accents. */
export function normaliseName(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

function identifierRule(name: LinkRuleName, field: 'nhsNumber' | 'pncId' | 'nomisId' | 'deliusCrn', isValid: (normalised: string) => boolean): LinkRule {
  return {
    name,
    keysOf(person, blind) {
      const raw = person[field];
      if (typeof raw !== 'string') return [];
      const value = normaliseIdentifier(raw);
      if (!isValid(value)) return [];
      return [{ rule: name, key: `${name}:${blind(`${field}|${value}`)}`, qualifier: '' }];
    },
    decide: () => true,
  };
}

const sexesThatTell = new Set(['M', 'F', 'X']);

/**
 * Same names and date of birth, where sex is equal or one side is U or missing, and where the two
 * records do not hold different valid NHS numbers (a conflicting strong identifier never links
 * automatically, issue 8). The qualifier is `<blind of name, date of birth and sex>|<blind of the
 * NHS number>`, each part '' when unknown.
 */
const sameNameAndDateOfBirth: LinkRule = {
  name: 'same-name-and-date-of-birth',
  keysOf(person, blind) {
    const { familyName, givenName, dateOfBirth, sex } = person;
    if (typeof familyName !== 'string' || typeof givenName !== 'string' || typeof dateOfBirth !== 'string') return [];
    const family = normaliseName(familyName);
    const given = normaliseName(givenName);
    const born = dateOfBirth.trim();
    if (!family || !given || !/^\d{4}-\d{2}-\d{2}$/.test(born)) return [];
    const value = `${family}\u001f${given}\u001f${born}`;
    const knownSex = typeof sex === 'string' && sexesThatTell.has(sex.trim().toUpperCase()) ? sex.trim().toUpperCase() : undefined;
    const nhsNumber = typeof person.nhsNumber === 'string' ? normaliseIdentifier(person.nhsNumber) : '';
    return [{
      rule: 'same-name-and-date-of-birth', key: `same-name-and-date-of-birth:${blind(`name-dob|${value}`)}`,
      qualifier: `${knownSex ? blind(`name-dob-sex|${value}\u001f${knownSex}`) : ''}|${isValidNhsNumber(nhsNumber) ? blind(`nhsNumber|${nhsNumber}`) : ''}`,
    }];
  },
  decide: (a, b) => {
    const [sexA = '', nhsA = ''] = a.qualifier.split('|');
    const [sexB = '', nhsB = ''] = b.qualifier.split('|');
    const sexAgrees = sexA === '' || sexB === '' || sexA === sexB;
    const noConflictingNhsNumber = nhsA === '' || nhsB === '' || nhsA === nhsB;
    return sexAgrees && noConflictingNhsNumber;
  },
};

/** The exact rules, in the order evidence names them. */
export const exactLinkRules: readonly LinkRule[] = [
  identifierRule('shared-nhs-number', 'nhsNumber', isValidNhsNumber),
  identifierRule('shared-pnc-id', 'pncId', (v) => pncIdPattern.test(v)),
  identifierRule('shared-nomis-number', 'nomisId', (v) => nomisIdPattern.test(v)),
  identifierRule('shared-crn', 'deliusCrn', (v) => deliusCrnPattern.test(v)),
  sameNameAndDateOfBirth,
];

/** Matching rules behind one small interface: candidate keys of a person block, and the decision on a shared key. */
export class PersonMatcher {
  private readonly byName: ReadonlyMap<LinkRuleName, LinkRule>;

  constructor(readonly rules: readonly LinkRule[] = exactLinkRules) {
    this.byName = new Map(rules.map((rule) => [rule.name, rule]));
  }

  keysOf(person: unknown, blind: Blind): BlockingKey[] {
    if (typeof person !== 'object' || person === null) return [];
    return this.rules.flatMap((rule) => rule.keysOf(person as PersonBlock, blind));
  }

  /** The rule linking two subjects that share a key, or undefined when the key alone does not link them. */
  decide(a: BlockingKey, b: BlockingKey): LinkRuleName | undefined {
    if (a.key !== b.key || a.rule !== b.rule) return undefined;
    const rule = this.byName.get(a.rule as LinkRuleName);
    return rule && rule.decide(a, b) ? rule.name : undefined;
  }

  /** Rule names in the matcher's order (for stable evidence). */
  ordered(names: Iterable<LinkRuleName>): LinkRuleName[] {
    const wanted = new Set(names);
    return this.rules.map((rule) => rule.name).filter((name) => wanted.has(name));
  }
}

/** Every rule name in the order evidence lists them: the exact rules, then the probabilistic ones. */
export const linkRuleOrder: readonly LinkRuleName[] = [...exactLinkRules.map((rule) => rule.name), 'probable-match', 'reviewer-linked'];

/** The identifiers the exact rules link on, and the rule each gives. */
export const identifierRules = { nhsNumber: 'shared-nhs-number', pncId: 'shared-pnc-id', nomisId: 'shared-nomis-number', deliusCrn: 'shared-crn' } as const;
export type LinkedIdentifier = keyof typeof identifierRules;

/**
 * The blocking key an identifier gives, exactly as the identity index holds it (normalised, keyed
 * blind), or undefined when the value is not a valid identifier of its kind (e.g. a bad check digit).
 */
export function identifierKeyOf(field: LinkedIdentifier, value: string, blind: Blind): string | undefined {
  const rule = exactLinkRules.find((r) => r.name === identifierRules[field]);
  return rule?.keysOf({ [field]: value }, blind)[0]?.key;
}
