import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ContinuityQueries, continuityProjectionName, type ReportRequest, StoreLinkedBirthDates } from '@hub/continuity';
import {
  defaultModel, IdentityProcessor, IdentityQueries, IdentityStore, identityModelStreamId, minimumTrainingRecords, modelTrainedType, trainOnHubRecords,
} from '@hub/identity';
import { defaultNoise, simulate } from '@hub/simulation';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { activeSchemaOf } from '@hub/projections';
import type { Principal } from '@hub/security';
import { sharedDir } from '@hub/testing';
import { CdpEvents, testPerson } from '../../../test/support/cdp-events';
import { DecideIdentityReviewHandler, ListIdentityReviewsHandler } from '../src/use-cases/identity-reviews/identity-review.handlers';
import { DecideIdentityReviewCommand, ListIdentityReviewsQuery } from '../src/use-cases/identity-reviews/identity-review.messages';
import { ProjectionEngine } from '../src/runtime/projection-engine';
import { demoArea, openTestHub, type TestHub } from './support/test-hub';

const area = JSON.parse(readFileSync(resolve(sharedDir, 'scenarios', 'area.json'), 'utf8')) as AreaConfig;
const admin: Principal = { agencyId: 'hub-admin', kid: 'test', expiresAt: '2099-01-01T00:00:00Z', role: 'hub-admin' };
const prison: Principal = { agencyId: 'prison-hmp-northgate', kid: 'test', expiresAt: '2099-01-01T00:00:00Z' };
const wholeYear: ReportRequest = { from: '2025-01-01', to: '2025-12-31', groupBy: [], disclosure: 'none' };

describe('probabilistic linking with a clerical review queue (issue 8)', () => {
  let t: TestHub;
  afterEach(async () => t.close());

  const quinn = testPerson(31, 'Quennell');
  const e = new CdpEvents('identity-review');

  const ingest = async (events: CloudEvent[]) => {
    expect((await t.ingest(events)).map((o) => o.status)).toEqual(events.map(() => 'accepted'));
    await t.engine.catchUp();
  };
  const releaseOutcome = async () => {
    const schema = await activeSchemaOf(t.hub.database, continuityProjectionName);
    const { rows } = await t.hub.database.query<{ outcome: string | null }>(`SELECT outcome FROM ${schema}.releases`);
    return rows.map((r) => r.outcome);
  };
  const engagedInReport = async () => {
    const report = await new ContinuityQueries(t.hub.database, new StoreLinkedBirthDates(t.hub.store, t.hub.vault, t.hub.database))
      .report(wholeYear, { now: t.hub.clock.now() });
    return report.rows;
  };
  const assignmentReasons = async () => (await t.hub.database.query<{ reason: string }>(
    `SELECT data->>'reason' AS reason FROM event_store.events WHERE type = 'hub.identity.subject-assigned.v1' ORDER BY global_position`,
  )).rows.map((r) => r.reason);

  it('Given a release and a treatment start whose date of birth is one digit off, Then the pair waits for review; accepted, the start engages the release; rejected, they split and the report changes back', async () => {
    t = await openTestHub({ area });
    const release = e.release(quinn, '2025-03-03');
    const start = e.treatmentStarted({ ...quinn, dateOfBirth: '1981-05-12' }, '2025-03-12');
    expect(quinn.dateOfBirth).toBe('1981-05-11');
    await ingest([release]);
    await ingest([start]);

    // Between the thresholds: on the queue, apart, with the comparison vector and weights and no personal value.
    const queue = await new ListIdentityReviewsHandler(t.hub).execute(new ListIdentityReviewsQuery(admin));
    expect(queue).toHaveLength(1);
    const [pair] = queue;
    expect(pair!.status).toBe('review');
    expect(pair!.matchWeight).toBeGreaterThanOrEqual(3);
    expect(pair!.matchWeight).toBeLessThan(6);
    expect(Object.fromEntries(pair!.comparisons.map((c) => [c.comparison, c.level]))).toMatchObject({
      givenName: 'exact', familyName: 'exact', dateOfBirth: 'one-digit-off', sex: 'agree', nhsNumber: null,
    });
    for (const clear of [quinn.familyName, quinn.givenName, quinn.dateOfBirth, '1981-05-12', quinn.nhsNumber, quinn.nomisId]) expect(JSON.stringify(queue)).not.toContain(clear);
    const [releasePerson, startPerson] = [await t.personRefOf(release), await t.personRefOf(start)];
    expect(releasePerson).not.toBe(startPerson);
    expect(await releaseOutcome()).toEqual(['open']);
    const apartReport = await engagedInReport();

    // Only the administrator reviews.
    await expect(new DecideIdentityReviewHandler(t.hub).execute(new DecideIdentityReviewCommand(prison, pair!.pairId, 'accept'))).rejects.toMatchObject({ code: 'ACCESS.DENIED' });

    // Accepted: one person, said by subject-assigned events the continuity projection follows.
    await new DecideIdentityReviewHandler(t.hub).execute(new DecideIdentityReviewCommand(admin, pair!.pairId, 'accept', 'same prison number on the referral letter'));
    await t.engine.catchUp();
    expect(await t.personRefOf(start)).toBe(await t.personRefOf(release));
    const merged = await t.hub.database.query<{ reason: string }>(`SELECT data->>'reason' AS reason FROM event_store.events WHERE type = 'hub.identity.persons-merged.v1'`);
    expect(merged.rows).toEqual([{ reason: 'reviewer-linked' }]);
    expect(await assignmentReasons()).toEqual(['new-subject', 'new-subject', 'merge']);
    expect(await releaseOutcome()).toEqual(['engaged']);
    expect(await new ListIdentityReviewsHandler(t.hub).execute(new ListIdentityReviewsQuery(admin))).toEqual([]);
    const explained = await new IdentityQueries(t.hub.database).explain((await t.personRefOf(release))!);
    expect(explained.pairs).toEqual([expect.objectContaining({ pairId: pair!.pairId, status: 'linked', decidedBy: 'reviewer' })]);
    expect(apartReport).toEqual([expect.objectContaining({ released: 1, engaged: 0, notEngaged: 1 })]);
    expect(await engagedInReport()).toEqual([expect.objectContaining({ released: 1, engaged: 1, notEngaged: 0 })]);

    // Rebuilt from the log: the reviewer's decision and the pair events replay; nothing new is appended.
    const logged = async () => (await t.hub.database.query(`SELECT event_id FROM event_store.events WHERE type LIKE 'hub.identity.%' ORDER BY global_position`)).rows;
    const before = await logged();
    await new ProjectionEngine(t.hub, [new IdentityProcessor({ vault: t.hub.vault })]).rebuild();
    await t.engine.catchUp();
    expect(await logged()).toEqual(before);
    expect(await t.personRefOf(start)).toBe(await t.personRefOf(release));
    expect((await new IdentityQueries(t.hub.database).explain((await t.personRefOf(release))!)).pairs).toEqual([expect.objectContaining({ status: 'linked', decidedBy: 'reviewer' })]);

    // Rejected (an unlink): two persons again, and the treatment start no longer engages the release.
    await new DecideIdentityReviewHandler(t.hub).execute(new DecideIdentityReviewCommand(admin, pair!.pairId, 'reject'));
    await t.engine.catchUp();
    expect(await t.personRefOf(start)).not.toBe(await t.personRefOf(release));
    expect(await t.personRefOf(release)).toBe(releasePerson);
    expect((await assignmentReasons()).at(-1)).toBe('unlinked');
    expect(await releaseOutcome()).toEqual(['open']);
    expect(await engagedInReport()).toEqual(apartReport);
    await expect(new DecideIdentityReviewHandler(t.hub).execute(new DecideIdentityReviewCommand(admin, pair!.pairId, 'reject')))
      .rejects.toMatchObject({ code: 'IDENTITY.REVIEW_INVALID_TRANSITION' });
  });

  it('Given a typo in the family name and day and month swapped, Then the model links them on its own (probable-match), and explain shows the weights', async () => {
    t = await openTestHub({ area });
    const release = e.release(quinn, '2025-03-03');
    const start = e.treatmentStarted({ ...quinn, familyName: 'Quenell', dateOfBirth: '1981-11-05' }, '2025-03-12');
    await ingest([release, start]);
    const person = (await t.personRefOf(release))!;
    expect(await t.personRefOf(start)).toBe(person);
    const explained = await new IdentityQueries(t.hub.database).explain(person);
    expect(explained.subjects.flatMap((s) => (s.evidence as { rules: string[] }).rules)).toContain('probable-match');
    expect(explained.pairs).toHaveLength(1);
    expect(explained.pairs[0]).toMatchObject({ status: 'linked', decidedBy: 'model' });
    expect(Object.fromEntries(explained.pairs[0]!.comparisons.map((c) => [c.comparison, c.level]))).toMatchObject({ familyName: 'jaro-winkler>=0.92', dateOfBirth: 'day-month-transposed' });
    expect(await releaseOutcome()).toEqual(['engaged']);
  });

  it('Given a pair the model linked, When a correction changes the treatment record\'s name and date of birth, Then the model unlinks it, the subject leaves the person, and continuity follows', async () => {
    t = await openTestHub({ area });
    const typo = { ...quinn, familyName: 'Quenell' };
    const release = e.release(quinn, '2025-03-03');
    const start = e.treatmentStarted({ ...typo, dateOfBirth: '1981-11-05' }, '2025-03-12');
    await ingest([release, start]);
    expect(await t.personRefOf(start)).toBe(await t.personRefOf(release));
    expect(await releaseOutcome()).toEqual(['engaged']);

    // The same record (same id and subject), a later version: someone else entirely.
    const corrected = e.treatmentStarted({ ...typo, givenName: 'Zed', dateOfBirth: '1979-02-03' }, '2025-03-12', { time: '2025-03-13T09:00:00Z' });
    await ingest([corrected]);
    expect(await t.personRefOf(start)).not.toBe(await t.personRefOf(release));
    const { rows } = await t.hub.database.query<{ type: string; decided_by: string }>(
      `SELECT type, data->>'decidedBy' AS decided_by FROM event_store.events WHERE type LIKE 'hub.identity.pair-%' ORDER BY global_position`,
    );
    expect(rows).toEqual([{ type: 'hub.identity.pair-linked.v1', decided_by: 'model' }, { type: 'hub.identity.pair-unlinked.v1', decided_by: 'model' }]);
    expect((await assignmentReasons()).at(-1)).toBe('unlinked');
    expect(await releaseOutcome()).toEqual(['open']);
  });

  it('Given two records alike in everything but their valid NHS numbers, Then neither rule links them: with a review threshold low enough to queue it, the pair waits for review naming the conflict', async () => {
    t = await openTestHub({ area });
    // The default thresholds leave this pair apart (its weight is about 3); a lower review threshold shows the conflict.
    const engine = new ProjectionEngine(t.hub, [new IdentityProcessor({ vault: t.hub.vault, probabilistic: { model: defaultModel, thresholds: { link: 0, review: -10 } } })]);
    const first = e.treatmentStarted(quinn, '2025-03-12');
    const second = e.overdose({ ...quinn, nhsNumber: testPerson(32, 'Other').nhsNumber }, '2025-03-20T10:00:00Z');
    expect((await t.ingest([first, second])).map((o) => o.status)).toEqual(['accepted', 'accepted']);
    await engine.catchUp();
    expect(await t.personRefOf(first)).not.toBe(await t.personRefOf(second));
    const queue = await new IdentityQueries(t.hub.database).reviewQueue();
    expect(queue).toEqual([expect.objectContaining({ status: 'review', conflicts: ['different-nhs-numbers'] })]);
    expect(queue[0]!.matchWeight).toBeGreaterThan(0);
    expect(Object.fromEntries(queue[0]!.comparisons.map((c) => [c.comparison, c.level]))).toMatchObject({ givenName: 'exact', familyName: 'exact', dateOfBirth: 'exact', nhsNumber: 'disagree' });
  });

  it('Given the hub\'s own noisy records, When the model is trained on them, Then m comes from EM, the parameters are an event, and the processor keeps them for its later decisions (rebuild too)', async () => {
    t = await openTestHub();
    const simulated = [...simulate({ area: demoArea, people: 400, seed: 'train', from: '2025-01-01', months: 12, noise: defaultNoise })];
    for (let i = 0; i < simulated.length; i += 1000) await t.ingest(simulated.slice(i, i + 1000));
    await t.engine.catchUp(['identity']);
    const trained = await trainOnHubRecords(t.hub.database, t.hub.vault, { randomPairs: 20_000 });
    expect(trained.records).toBeGreaterThan(minimumTrainingRecords);
    expect(trained.sessions.every((s) => s.converged)).toBe(true);
    // Matches agree on the date of birth far more often than random pairs do.
    expect(trained.model.parameters.dateOfBirth.m[0]).toBeGreaterThan(0.8);
    expect(trained.model.parameters.dateOfBirth.u[0]).toBeLessThan(0.01);
    await t.hub.store.append([{ streamId: identityModelStreamId, expectedVersion: 'any', events: [{ eventId: randomUUID(), type: modelTrainedType, source: 'hub', subject: null, occurredAt: new Date().toISOString(), data: trained, metadata: {} }] }]);
    await t.engine.catchUp(['identity']);
    const inUse = async () => new IdentityStore(t.hub.database, (await activeSchemaOf(t.hub.database, 'identity'))!).pairs.trainedModel();
    expect(await inUse()).toEqual(trained.model);
    await new ProjectionEngine(t.hub, [new IdentityProcessor({ vault: t.hub.vault })]).rebuild();
    expect(await inUse()).toEqual(trained.model);
  });

  it('Given a hub with a handful of records, Then training is refused, naming the count', async () => {
    t = await openTestHub({ area });
    await ingest([e.release(quinn, '2025-03-03')]);
    await expect(trainOnHubRecords(t.hub.database, t.hub.vault)).rejects.toMatchObject({ code: 'IDENTITY.TOO_FEW_RECORDS', message: expect.stringContaining('records: 1 agency subjects') });
  });
});
