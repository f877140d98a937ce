import { deliusCrnPattern, isValidNhsNumber, nomisIdPattern, pncIdPattern } from '@hub/kernel';
import { Random } from '../random/random';
import { IdentifierFactory } from './identifiers';

describe('IdentifierFactory', () => {
  const people = 20_000;
  const factory = new IdentifierFactory('ids', people);
  const random = Random.of('ids-test');
  const all = Array.from({ length: people }, (_, index) => ({
    nhs: factory.nhsNumber(index, random),
    nomis: factory.nomisId(index),
    crn: factory.deliusCrn(index),
    pnc: factory.pncId(index, random, 2024),
    client: factory.clientId('NRP', index),
    coroner: factory.caseReference('COR', index),
  }));

  it.each([
    ['NHS numbers (mod-11 check digit)', (ids: (typeof all)[number]) => ids.nhs, isValidNhsNumber],
    ['NOMIS numbers', (ids: (typeof all)[number]) => ids.nomis, (v: string) => nomisIdPattern.test(v)],
    ['CRNs', (ids: (typeof all)[number]) => ids.crn, (v: string) => deliusCrnPattern.test(v)],
    ['PNC ids', (ids: (typeof all)[number]) => ids.pnc, (v: string) => pncIdPattern.test(v)],
    ['treatment client ids', (ids: (typeof all)[number]) => ids.client, (v: string) => /^NRP-\d{6}$/.test(v)],
    ['case references', (ids: (typeof all)[number]) => ids.coroner, (v: string) => /^COR-\d{6}$/.test(v)],
  ])('makes valid, unique %s', (_, pick, valid) => {
    const values = all.map(pick);
    expect(values.filter((value) => !valid(value))).toEqual([]);
    expect(new Set(values).size).toBe(people);
  });

  it('makes PNC ids with the CRO check letter, mostly with a four-digit year', () => {
    const checkLetters = 'ZABCDEFGHJKLMNPQRTUVWXY';
    const wrong = all.map((ids) => ids.pnc).filter((pnc) => {
      const [year, rest] = pnc.split('/') as [string, string];
      const serial = rest.slice(0, -1).padStart(7, '0');
      return checkLetters[Number(`${year.slice(-2)}${serial}`) % 23] !== rest.at(-1);
    });
    expect(wrong).toEqual([]);
    expect(all.filter((ids) => /^\d{4}\//.test(ids.pnc)).length).toBeGreaterThan(people * 0.8);
  });

  it('numbers a person differently at each treatment provider', () => {
    const same = Array.from({ length: 1000 }, (_, i) => i)
      .filter((i) => factory.clientId('NRP', i).slice(4) === factory.clientId('CDA', i).slice(4));
    expect(same.length).toBeLessThan(5);
  });

  it('depends on the seed', () => {
    expect(new IdentifierFactory('other', people).nomisId(0)).not.toBe(factory.nomisId(0));
  });
});
