import type { CountedKeyRow } from '../store/record-index';
import { maximumBlockSize } from './blocking';
import { chosenBlocks } from './pair-linker';

/** A subject's stored model keys: each rule's key (qualifier '') and the tighter keys refining it (qualifier: that key). */
const row = (rule: string, key: string, holders: number, refines = ''): CountedKeyRow => ({ stream_id: 's', rule: `probable:${rule}` as CountedKeyRow['rule'], key, qualifier: refines, holders });

describe('the blocks a subject is compared through in the processor', () => {
  const stored = (familyYear: number, month: number, day: number): CountedKeyRow[] => [
    row('soundex-family-year', 'k-fy', familyYear), row('soundex-family-year-month', 'k-fym', month, 'k-fy'), row('soundex-family-year-day', 'k-fyd', day, 'k-fy'),
    row('dob-initial', 'k-di', 3), row('dob-initials', 'k-dis', 2, 'k-di'),
    { stream_id: 's', rule: 'tf-family', key: 'tf-family:x', qualifier: '', holders: 900 },
  ];

  it('Given blocks within the cap, When choosing, Then the rules\' own keys (never the name keys)', () => {
    expect(chosenBlocks(stored(maximumBlockSize, 5, 2))).toEqual(['k-fy', 'k-di']);
  });

  it('Given the Soundex-and-year block over the cap, When choosing, Then its month and day blocks instead', () => {
    expect(chosenBlocks(stored(maximumBlockSize + 1, 30, 12))).toEqual(['k-fym', 'k-fyd', 'k-di']);
  });

  it('Given a tighter block over the cap too, When choosing, Then it is left out', () => {
    expect(chosenBlocks(stored(400, 120, 12))).toEqual(['k-fyd', 'k-di']);
  });
});
