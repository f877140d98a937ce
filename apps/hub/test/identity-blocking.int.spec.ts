import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { maximumBlockSize } from '@hub/identity';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { activeSchemaOf } from '@hub/projections';
import { sharedDir } from '@hub/testing';
import { CdpEvents, testPerson } from '../../../test/support/cdp-events';
import { openTestHub, type TestHub } from './support/test-hub';

const area = JSON.parse(readFileSync(resolve(sharedDir, 'scenarios', 'area.json'), 'utf8')) as AreaConfig;

describe('capped blocks in the identity processor (issue 8)', () => {
  let t: TestHub;
  afterEach(async () => t.close());
  const e = new CdpEvents('identity-blocking');

  it('Given more people of one family-name Soundex born in 1985 than a block may hold, When a record arrives a day off, Then it is still compared, through the tighter month block, and with no one from the crowded block', async () => {
    t = await openTestHub({ area });
    // 60 others whose family names sound like Quennell (Soundex Q540), born in 1985, none in May nor on an 11th or 12th, none named with a Q.
    const spellings = ['Quenell', 'Quinell', 'Quinnell', 'Quennel', 'Quenall', 'Quinall'];
    const crowd = Array.from({ length: 60 }, (_, i) => testPerson(200 + i, spellings[i % 6]!, { dateOfBirth: `1985-${String(6 + (i % 6)).padStart(2, '0')}-${String(13 + (i % 15))}` }));
    const quinn = testPerson(31, 'Quennell', { givenName: 'Quinn', dateOfBirth: '1985-05-11' });
    const release = e.release(quinn, '2025-03-03');
    const ingest = async (events: CloudEvent[]) => {
      expect((await t.ingest(events)).map((o) => o.status)).toEqual(events.map(() => 'accepted'));
      await t.engine.catchUp();
    };
    await ingest([...crowd.map((p, i) => e.release(p, `2025-02-${String(1 + (i % 28)).padStart(2, '0')}`)), release]);
    const schema = (await activeSchemaOf(t.hub.database, 'identity'))!;
    const { rows: [largest] } = await t.hub.database.query<{ n: number }>(`SELECT max(n) AS n FROM ${schema}.identity_key_counts WHERE key LIKE 'probable:%'`);
    expect(largest!.n).toBeGreaterThan(maximumBlockSize);

    // A day off: shares with Quinn's release only Soundex(family) + year (over the cap) and, tighter, + month.
    const start = e.treatmentStarted({ ...quinn, dateOfBirth: '1985-05-12' }, '2025-03-12');
    await ingest([start]);
    const { rows: pairs } = await t.hub.database.query<{ status: string }>(`SELECT status FROM ${schema}.identity_pairs`);
    expect(pairs.map((p) => p.status)).toEqual([expect.stringMatching(/^(linked|review)$/)]);
    // No pair with any of the crowd: the over-cap block was not searched.
    expect(pairs).toHaveLength(1);
    expect(await t.personRefOf(release)).toBeDefined();
  });
});
