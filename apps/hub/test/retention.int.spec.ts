import { type AreaConfig, ManualClock } from '@hub/kernel';
import { CdpEvents, testPerson } from '../../../test/support/cdp-events';
import { RunRetentionHandler } from '../src/use-cases/retention/run-retention.handler';
import { demoArea, openTestHub, type TestHub } from './support/test-hub';

/** Every purpose keeps a year; aggregate reporting (which covers every type) only 90 days: a year is the longest. */
const area: AreaConfig = {
  ...demoArea,
  agreements: demoArea.agreements.map((a) => ({
    ...a, purposes: a.purposes.map((p) => ({ ...p, retentionDays: p.purpose === 'aggregate-reporting' ? 90 : 365 })),
  })),
};

describe('hub retention run: shredding what is past the agreements\' retentionDays, from the hub\'s clock', () => {
  let t: TestHub;
  const clock = new ManualClock('2026-01-15T12:00:00Z');
  const events = new CdpEvents('retention');
  const ann = testPerson(41, 'Annandale-Retained');
  const bo = testPerson(42, 'Bowden-Retained');
  const oldRelease = events.release(ann, '2025-01-10', { recordId: 'REL-R1' });
  const newRelease = events.release(ann, '2025-12-01', { recordId: 'REL-R2' });
  const overdose = events.overdose(bo, '2025-01-20T21:00:00Z', { recordId: 'OD-R1' });
  const run = () => new RunRetentionHandler(t.hub).execute();
  const revealed = async (streamId: string) => (await openedBothWays(streamId))
    .map((e) => ({ recordId: e.data.recordId, erased: e.erased, familyName: (e.data.person as { familyName?: string } | undefined)?.familyName }));
  /** A stream's events opened as read (`reveal`), checked against the same events opened by position (`revealAt`, as the identity processor reads candidates). */
  const openedBothWays = async (streamId: string) => {
    const stream = await t.hub.store.readStream(streamId);
    const opened = await t.hub.vault.reveal(stream);
    expect(await t.hub.vault.revealAt(t.hub.database, stream.map((e) => e.globalPosition))).toEqual(opened);
    return opened;
  };
  const annStream = () => t.hub.vault.streamIdFor('prison-hmp-northgate', ann.nomisId);
  const boStream = () => t.hub.vault.streamIdFor('nhs-northshire-ambulance', overdose.subject);
  const hasKey = async (streamId: string) => (await t.hub.database.query('SELECT 1 FROM security.subject_keys WHERE stream_id = $1', [streamId])).rowCount === 1;

  beforeAll(async () => {
    t = await openTestHub({ clock, area });
    expect((await t.ingest([oldRelease, newRelease, overdose])).map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
  });
  afterAll(async () => t.close());

  it('Given a release a year and five days old, When retention runs, Then its personal fields are shredded and younger events keep theirs', async () => {
    expect(await run()).toEqual({ on: '2026-01-15', checked: 3, eventsShredded: 1, keysDeleted: 0, withoutRule: 0 });
    expect(await revealed(annStream())).toEqual([
      { recordId: 'REL-R1', erased: true, familyName: undefined },
      { recordId: 'REL-R2', erased: false, familyName: ann.familyName },
    ]);
    expect(await hasKey(annStream())).toBe(true);
    // Business data stays: the release is still there to be counted.
    const [stored] = await t.hub.store.readStream(annStream());
    expect(stored!.data).toMatchObject({ releasedOn: '2025-01-10', prisonId: 'NGI', $shredded: 'retention' });
    expect(stored!.data.$sealed).toBeUndefined();
  });

  it('is idempotent: the same day again shreds nothing', async () => {
    expect(await run()).toEqual({ on: '2026-01-15', checked: 2, eventsShredded: 0, keysDeleted: 0, withoutRule: 0 });
  });

  it('When every event of a stream is past retention, Then the stream\'s key goes too; a later event for it gets a new key', async () => {
    clock.set('2026-01-21T12:00:00Z');
    expect(await run()).toEqual({ on: '2026-01-21', checked: 2, eventsShredded: 1, keysDeleted: 1, withoutRule: 0 });
    expect(await hasKey(boStream())).toBe(false);
    expect(await revealed(boStream())).toEqual([{ recordId: 'OD-R1', erased: true, familyName: undefined }]);
    // Retention is not an erasure of the person: new data about them is kept (under a new key).
    const later = events.overdose(bo, '2026-01-20T23:00:00Z', { recordId: 'OD-R2' });
    expect((await t.ingest([later]))[0]).toMatchObject({ status: 'accepted' });
    expect((await revealed(boStream()))[1]).toEqual({ recordId: 'OD-R2', erased: false, familyName: bo.familyName });
  });
});
