import { findUnstorableText } from './unstorable-text';

describe('text PostgreSQL cannot store', () => {
  it('finds U+0000 in any string value, by JSON pointer', () => {
    expect(findUnstorableText({ id: 'a\u0000b' })).toEqual({ pointer: '/id', problem: 'contains the character U+0000' });
    expect(findUnstorableText({ data: { results: [{ substance: 'x' }, { substance: 'opi\u0000ates' }] } })?.pointer).toBe('/data/results/1/substance');
    expect(findUnstorableText({ data: { 'a/b~c': '\u0000' } })?.pointer).toBe('/data/a~1b~0c');
  });

  it('finds unpaired surrogates, high or low, but not a pair', () => {
    expect(findUnstorableText({ data: { recordId: 'REL-\ud800' } })).toEqual({ pointer: '/data/recordId', problem: 'contains an unpaired UTF-16 surrogate (not valid Unicode)' });
    expect(findUnstorableText({ data: { recordId: '\udc00REL' } })?.pointer).toBe('/data/recordId');
    expect(findUnstorableText({ data: { note: 'ok \ud83d\ude00' } })).toBeUndefined();
  });

  it('finds it in a member name too, escaped in the pointer', () => {
    expect(findUnstorableText({ data: { 'bad\u0000name': 1 } })?.pointer).toBe('/data/bad\\u0000name');
  });

  it('finds nothing in ordinary events', () => {
    expect(findUnstorableText({ id: 'e1', data: { person: { givenName: 'Zoë' }, n: 1, ok: true, none: null } })).toBeUndefined();
  });
});
