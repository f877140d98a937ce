import { ContractRegistry } from './contract-registry';

const registry = ContractRegistry.load();

const treatmentStart = {
  recordId: 'TS-1', startedOn: '2025-03-10', providerId: 'NRP', localAuthority: 'E06000901', setting: 'community', substanceGroup: 'opiate',
};

function violationsOf(person: unknown) {
  return registry.validateData('treatment.started.v1', { ...treatmentStart, person });
}

describe('person block', () => {
  it.each([
    ['an NHS number', { nhsNumber: '9434765919' }],
    ['an NHS number spaced 3 3 4', { nhsNumber: '943 476 5919' }],
    ['a PNC ID with a four-digit year', { pncId: '2012/394773H' }],
    ['a PNC ID with a two-digit year', { pncId: '12/1A' }],
    ['a NOMIS number', { nomisId: 'A1234BC' }],
    ['a CRN', { deliusCrn: 'X123456' }],
    ['family name and a 29 February date of birth in a leap year', { familyName: 'Bloggs', dateOfBirth: '2004-02-29' }],
    ['every field', {
      nhsNumber: '9434765919', pncId: '2012/394773H', nomisId: 'A1234BC', deliusCrn: 'X123456', givenName: 'Jo',
      familyName: 'Bloggs', dateOfBirth: '1988-04-12', sex: 'F', postcodeDistrict: 'NN17',
    }],
  ])('is accepted with %s', (_what, person) => {
    expect(violationsOf(person)).toEqual([]);
  });

  it.each([
    ['no identifying field', { givenName: 'Jo', sex: 'F' }, '/data/person', 'anyOf',
      'must include nhsNumber, pncId, nomisId, deliusCrn, or both familyName and dateOfBirth'],
    ['a family name without a date of birth', { familyName: 'Bloggs' }, '/data/person', 'anyOf', 'must include'],
    ['a date of birth without a family name', { dateOfBirth: '1988-04-12' }, '/data/person', 'anyOf', 'must include'],
    ['no fields at all', {}, '/data/person', 'anyOf', '{} must include'],
    ['a bad NHS check digit', { nhsNumber: '9434765918' }, '/data/person/nhsNumber', 'format',
      '/data/person/nhsNumber: "9434765918" is not a valid NHS number (mod-11 check digit)'],
    ['an NHS number whose check digit would be 10', { nhsNumber: '1234567890' }, '/data/person/nhsNumber', 'format', 'mod-11'],
    ['an NHS number of 9 digits', { nhsNumber: '943476591' }, '/data/person/nhsNumber', 'pattern', 'is not a valid NHS number'],
    ['an NHS number as a number', { nhsNumber: 9434765919 }, '/data/person/nhsNumber', 'type', '9434765919 must be string'],
    ['a NOMIS number in lower case', { nomisId: 'a1234bc' }, '/data/person/nomisId', 'pattern', '"a1234bc" is not a valid NOMIS number'],
    ['a NOMIS number one letter short', { nomisId: 'A1234B' }, '/data/person/nomisId', 'pattern', 'NOMIS number'],
    ['a CRN of 5 digits', { deliusCrn: 'X12345' }, '/data/person/deliusCrn', 'pattern', '"X12345" is not a valid Delius CRN'],
    ['a PNC ID without its check letter', { pncId: '2012/394773' }, '/data/person/pncId', 'pattern', 'is not a valid PNC ID'],
    ['a PNC ID with a three-digit year', { pncId: '201/394773H' }, '/data/person/pncId', 'pattern', 'PNC ID'],
    ['an impossible date of birth', { familyName: 'Bloggs', dateOfBirth: '1987-02-29' }, '/data/person/dateOfBirth', 'format',
      '"1987-02-29" is not a real date'],
    ['a date of birth with a time', { familyName: 'Bloggs', dateOfBirth: '1987-02-28T00:00:00Z' }, '/data/person/dateOfBirth', 'format', 'real date'],
    ['sex spelled out', { nhsNumber: '9434765919', sex: 'female' }, '/data/person/sex', 'enum', '"female" is not one of M, F, X, U'],
    ['an empty given name', { nhsNumber: '9434765919', givenName: '' }, '/data/person/givenName', 'minLength', 'must not be empty'],
    ['a full postcode as district', { nhsNumber: '9434765919', postcodeDistrict: 'NN17 1AA' }, '/data/person/postcodeDistrict', 'pattern', 'postcode district'],
    ['an unknown field', { nhsNumber: '9434765919', ethnicity: 'A1' }, '/data/person/ethnicity', 'additionalProperties', '"A1" is not an allowed field'],
    ['a person that is not an object', 'A1234BC', '/data/person', 'type', 'must be object'],
  ])('is rejected with %s', (_what, person, pointer, keyword, messagePart) => {
    const violations = violationsOf(person);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ pointer, keyword });
    expect(violations[0]!.message).toContain(messagePart);
  });

  it('is optional on a retraction but checked when present', () => {
    const retraction = { recordId: 'R-1', retractedType: 'treatment.started.v1', retractedRecordId: 'TS-1', reason: 'Entered in error' };
    expect(registry.validateData('treatment.record.retracted.v1', retraction)).toEqual([]);
    expect(registry.validateData('treatment.record.retracted.v1', { ...retraction, person: { sex: 'M' } }))
      .toMatchObject([{ pointer: '/data/person', keyword: 'anyOf' }]);
  });
});
