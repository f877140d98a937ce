import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CloudEvent } from '@hub/kernel';
import { createTestDatabase, hubTarget, type HubTarget, runHub, sharedDir, type TestDatabase } from '@hub/testing';

const scenarioDir = resolve(sharedDir, 'scenarios');
const scenarioFile = resolve(scenarioDir, 'continuity-basic.ndjson');
const scenario = readFileSync(scenarioFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as CloudEvent);
type Person = { givenName: string; familyName: string; dateOfBirth: string; nhsNumber: string; nomisId?: string };
const personOf = (e: CloudEvent) => (e.data as { person: Person }).person;
// Case00: released from HMP Northgate, started treatment on the day (engaged).
const case00 = scenario.filter((e) => personOf(e).familyName === 'Case00');
const { givenName, familyName, dateOfBirth, nhsNumber, nomisId } = personOf(case00[0]!);

interface Export {
  requestedBy: string; lookedUpBy: string; disclosureLogSequence: number | null;
  people: {
    personRef: string; erasure: { erasedAt: string; by: string } | null;
    identity: { subjects: { agency: string; reason: string }[] };
    events: { sourceAgency: string; eventId: string; type: string; occurredAt: string; recordedAt: string; personalDataErased: boolean; subject: string | null; data: { person?: Person } }[];
    alerts: unknown[]; reviews: unknown[]; continuity: { outcome: string; releasedOn: string }[]; disclosures: { kind?: string }[];
  }[];
}

describe('hub subject-access through the built CLI (continuity-basic scenario)', () => {
  let db: TestDatabase;
  let target: HubTarget;
  const exportOf = async (...args: string[]) => {
    const result = await runHub(target, ['subject-access', ...args]);
    expect(result.code).toBe(0);
    return { ...result.json<Export>(), stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(async () => {
    db = await createTestDatabase('hub_e2e_subject_access');
    target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', resolve(scenarioDir, 'area.json')])).code).toBe(0);
    expect((await runHub(target, ['ingest', scenarioFile])).json()).toMatchObject({ rejected: 0 });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('exports the person\'s events opened, with their provenance, identity links, continuity rows and the disclosures, and logs the export', async () => {
    const exported = await exportOf('--nhs-number', nhsNumber.replace(/^(\d{3})(\d{3})/, '$1 $2 '));
    expect(exported).toMatchObject({ lookedUpBy: 'nhsNumber', requestedBy: expect.stringMatching(/^cli:/), disclosureLogSequence: expect.any(Number) });
    expect(exported.people).toHaveLength(1);
    const [person] = exported.people;
    expect(person!.erasure).toBeNull();
    expect(person!.events.map((e) => ({ sourceAgency: e.sourceAgency, eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, familyName: e.data.person?.familyName })))
      .toEqual(case00.map((e) => ({
        sourceAgency: e.source.replace('agency:', ''), eventId: e.id, type: e.type, occurredAt: new Date(e.time!).toISOString(), familyName: 'Case00',
      })));
    expect(person!.events.every((e) => !e.personalDataErased && !Number.isNaN(Date.parse(e.recordedAt)))).toBe(true);
    expect(person!.events.map((e) => e.subject).sort()).toEqual(case00.map((e) => e.subject).sort());
    expect(person!.identity.subjects.map((s) => s.agency).sort()).toEqual(['prison-hmp-northgate', 'treatment-northshire-recovery']);
    expect(person!.identity.subjects.map((s) => s.reason)).toContain('shared-nhs-number');
    expect(person!.continuity).toEqual([expect.objectContaining({ releasedOn: '2025-03-03', outcome: 'engaged' })]);

    // The same person by their NOMIS number; the first export is now among the disclosures naming them.
    const byNomis = await exportOf('--nomis', nomisId!);
    expect(byNomis.people.map((p) => p.personRef)).toEqual([person!.personRef]);
    expect(byNomis.people[0]!.disclosures).toEqual([expect.objectContaining({ kind: 'subject-access', sequence: exported.disclosureLogSequence, purpose: 'subject-access', recipient: 'data-subject' })]);
    const audit = (await runHub(target, ['audit', 'list', '--person', person!.personRef])).json<{ kind?: string }[]>();
    expect(audit.filter((e) => e.kind === 'subject-access')).toHaveLength(2);
    expect((await runHub(target, ['audit', 'verify'])).json()).toMatchObject({ ok: true });
    // Logs never carry the identifier.
    expect(exported.stderr + byNomis.stderr).not.toContain(nhsNumber);
  });

  it('after hub erase, says the personal data was erased and when, and holds none of it', async () => {
    const [before] = (await exportOf('--person', (await exportOf('--nhs-number', nhsNumber)).people[0]!.personRef)).people;
    const erased = await runHub(target, ['erase', '--person', before!.personRef, '--reason', 'SAR-7 erasure']);
    expect(erased.code).toBe(0);
    for (const args of [['--person', before!.personRef], ['--nhs-number', nhsNumber]]) {
      const after = await exportOf(...args);
      expect(after.people).toHaveLength(1);
      const [person] = after.people;
      expect(person!.erasure).toEqual({ erasedAt: expect.any(String), by: expect.stringMatching(/^cli:/) });
      expect(person!.events.map((e) => e.eventId)).toEqual(before!.events.map((e) => e.eventId));
      expect(person!.events.every((e) => e.personalDataErased && e.subject === null && e.data.person === undefined)).toBe(true);
      expect(person!.continuity).toEqual(before!.continuity);
      for (const value of [givenName, familyName, dateOfBirth, nhsNumber, nomisId!, ...case00.map((e) => e.subject!)]) {
        expect(after.stdout).not.toContain(value);
      }
    }
  });

  it('refuses a bad identifier or a request naming no one, without echoing the identifier', async () => {
    const bad = await runHub(target, ['subject-access', '--nhs-number', '9434765918']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--nhs-number: "943*******" is not a valid nhsNumber');
    expect(bad.stderr).not.toContain('9434765918');
    expect((await runHub(target, ['subject-access'])).code).toBe(2);
    expect((await runHub(target, ['subject-access', '--nomis', 'A1000BC', '--crn', 'X123456'])).code).toBe(2);
    // Someone the hub holds nothing on: an empty export, nothing logged.
    expect((await exportOf('--crn', 'X999999'))).toMatchObject({ people: [], disclosureLogSequence: null });
  });
});
