import { createHmac } from 'node:crypto';
import type { PersonBlock } from '@hub/kernel';
import { type Blind, identifierKeyOf, normaliseIdentifier, normaliseName, PersonMatcher } from './linking.rules';

const blind: Blind = (value) => createHmac('sha256', 'test-index-key').update(value).digest('base64url');
const matcher = new PersonMatcher();

/** The rules that link two person blocks (as two subjects sharing a blocking key would be decided). */
function linkingRules(a: PersonBlock, b: PersonBlock): string[] {
  const rules = new Set<string>();
  for (const ka of matcher.keysOf(a, blind)) {
    for (const kb of matcher.keysOf(b, blind)) {
      const rule = ka.key === kb.key ? matcher.decide(ka, kb) : undefined;
      if (rule) rules.add(rule);
    }
  }
  return [...rules];
}

const jo: PersonBlock = { givenName: 'Jo', familyName: 'Bloggs', dateOfBirth: '1988-04-12', sex: 'F' };

describe('exact linking rules (SPEC section 5)', () => {
  it('Given names with accents, odd spaces and capitals, When normalised, Then they compare equal', () => {
    expect(normaliseName('  Zoë   Anne ')).toBe('zoe anne');
    expect(normaliseName('ÉLODIE')).toBe('elodie');
    expect(linkingRules({ ...jo, givenName: ' Zoë  Anne', familyName: 'BRONTË' }, { ...jo, givenName: 'zoe anne', familyName: 'Bronte ' }))
      .toEqual(['same-name-and-date-of-birth']);
  });

  it('Given the same name and date of birth, When sex differs (M and F), Then they are not linked; When one side is U or missing, Then they are', () => {
    expect(linkingRules({ ...jo, sex: 'M' }, { ...jo, sex: 'F' })).toEqual([]);
    expect(linkingRules({ ...jo, sex: 'U' }, { ...jo, sex: 'M' })).toEqual(['same-name-and-date-of-birth']);
    const { sex: _, ...noSex } = jo;
    expect(linkingRules(noSex, { ...jo, sex: 'X' })).toEqual(['same-name-and-date-of-birth']);
    expect(linkingRules({ ...jo, sex: 'X' }, { ...jo, sex: 'X' })).toEqual(['same-name-and-date-of-birth']);
  });

  it('Given the same name and date of birth, When the two hold different valid NHS numbers, Then they are not linked (a conflicting strong identifier); the same one or one side without, Then they are', () => {
    expect(linkingRules({ ...jo, nhsNumber: '9434765919' }, { ...jo, nhsNumber: '9434765870' })).toEqual([]);
    expect(linkingRules({ ...jo, nhsNumber: '9434765919' }, jo)).toEqual(['same-name-and-date-of-birth']);
    expect(linkingRules({ ...jo, nhsNumber: '9434765919' }, { ...jo, nhsNumber: '943 476 5919' })).toEqual(['shared-nhs-number', 'same-name-and-date-of-birth']);
    expect(linkingRules({ ...jo, nhsNumber: '9434765918' }, { ...jo, nhsNumber: '9434765870' })).toEqual(['same-name-and-date-of-birth']);
  });

  it('Given a different date of birth or a missing given name, Then names alone do not link', () => {
    expect(linkingRules(jo, { ...jo, dateOfBirth: '1988-04-13' })).toEqual([]);
    const { givenName: _, ...noGivenName } = jo;
    expect(linkingRules(noGivenName, noGivenName)).toEqual([]);
  });

  it('Given NHS numbers with spaces, When valid, Then they link; an invalid check digit links nothing', () => {
    expect(normaliseIdentifier(' 943 476 5919 ')).toBe('9434765919');
    expect(linkingRules({ nhsNumber: '943 476 5919' }, { nhsNumber: '9434765919' })).toEqual(['shared-nhs-number']);
    expect(linkingRules({ nhsNumber: '9434765918' }, { nhsNumber: '9434765918' })).toEqual([]);
  });

  it('Given identifiers in lower case or with spaces, When upper-cased without spaces, Then NOMIS, CRN and PNC link; a malformed one does not', () => {
    expect(linkingRules({ nomisId: 'a1234bc' }, { nomisId: 'A1234BC' })).toEqual(['shared-nomis-number']);
    expect(linkingRules({ deliusCrn: 'x 123456' }, { deliusCrn: 'X123456' })).toEqual(['shared-crn']);
    expect(linkingRules({ pncId: '2012/394773h' }, { pncId: '2012/394773H' })).toEqual(['shared-pnc-id']);
    expect(linkingRules({ nomisId: 'A12BC' }, { nomisId: 'A12BC' })).toEqual([]);
  });

  it('Given the same value under two kinds of identifier, Then they do not link (keys are per kind)', () => {
    expect(linkingRules({ nomisId: 'A1234BC', deliusCrn: 'X123456' }, { deliusCrn: 'X123456' })).toEqual(['shared-crn']);
  });

  it('Given any person block, Then its blocking keys hold no identifier, name or date of birth in clear', () => {
    const keys = matcher.keysOf({ ...jo, nhsNumber: '9434765919', nomisId: 'A1234BC', deliusCrn: 'X123456', pncId: '2012/394773H' }, blind);
    expect(keys.map((k) => k.rule)).toEqual(['shared-nhs-number', 'shared-pnc-id', 'shared-nomis-number', 'shared-crn', 'same-name-and-date-of-birth']);
    const text = JSON.stringify(keys).toLowerCase();
    for (const clear of ['9434765919', 'a1234bc', 'x123456', '394773', 'bloggs', '1988-04-12']) expect(text).not.toContain(clear);
  });
});

describe('identifierKeyOf (subject access and the opt-out register look people up by it)', () => {
  it('Given an identifier written with spaces or in lower case, When keyed, Then it is the key the exact rule indexes', () => {
    const indexed = (person: PersonBlock) => matcher.keysOf(person, blind).map((k) => k.key);
    expect(indexed({ nhsNumber: '9434765919' })).toContain(identifierKeyOf('nhsNumber', '943 476 5919', blind));
    expect(indexed({ nomisId: 'A1234BC' })).toContain(identifierKeyOf('nomisId', 'a1234bc', blind));
  });

  it('Given an invalid identifier, When keyed, Then there is no key', () => {
    expect(identifierKeyOf('nhsNumber', '9434765918', blind)).toBeUndefined();
    expect(identifierKeyOf('deliusCrn', 'nonsense', blind)).toBeUndefined();
  });
});
