import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { agencyIdOfSource, type AreaConfig, describeValue, isAgencyEventType, publisherKindOf, type RejectionCode } from '@hub/kernel';
import { findContractsDir } from './contract-files';
import { type FixtureSet, readFixtureSets } from './contract-fixtures';
import { ContractRegistry } from './contract-registry';
import type { ContractViolation } from './contract-violation';

const contractsDir = findContractsDir();
const sharedDir = join(dirname(contractsDir), '..', 'shared');
const area = JSON.parse(readFileSync(join(sharedDir, 'scenarios', 'area.json'), 'utf8')) as AreaConfig;
const registry = ContractRegistry.load();
const fixtureSets = readFixtureSets();

interface Outcome { readonly code: RejectionCode; readonly violation: ContractViolation }

/** What ingest decides from the contracts alone: envelope, then a known type, then data. */
function judgeEvent(event: unknown): Outcome | undefined {
  const [envelopeViolation] = registry.validateEnvelope(event);
  if (envelopeViolation) return { code: 'SCHEMA_INVALID', violation: envelopeViolation };
  const { type, data } = event as { type: string; data: unknown };
  if (!registry.hasDataSchema(type)) {
    return { code: 'UNKNOWN_TYPE', violation: { pointer: '/type', value: type, keyword: 'catalogue', message: `/type: ${describeValue(type)} is not in the catalogue` } };
  }
  const [dataViolation] = registry.validateData(type, data);
  return dataViolation && { code: 'SCHEMA_INVALID', violation: dataViolation };
}

// Person blocks are checked where they live: inside the data of a valid event.
const carrier = readJsonFixture('events/prison.release.recorded/v1/fixtures/valid-with-referral.json') as { data: object };
const personPointerPrefix = '/data/person';

function judge(set: FixtureSet, document: unknown): Outcome | undefined {
  if (set.schemaDir.startsWith('area-config/')) {
    const [violation] = registry.validateAreaConfig(document);
    return violation && { code: 'SCHEMA_INVALID', violation };
  }
  if (set.schemaDir.startsWith('person/')) return judgeEvent({ ...carrier, data: { ...carrier.data, person: document } });
  return judgeEvent(document);
}

function expectedPointer(set: FixtureSet, pointer: string): string {
  return set.schemaDir.startsWith('person/') ? personPointerPrefix + pointer : pointer;
}

function readJsonFixture(relativePath: string): unknown {
  return JSON.parse(readFileSync(join(contractsDir, relativePath), 'utf8'));
}

describe('contract fixtures', () => {
  it('has fixtures for the envelope, the person block, the area configuration and every event type', () => {
    const dirs = fixtureSets.map((set) => set.schemaDir);
    expect(dirs).toEqual(expect.arrayContaining(['envelope/v1', 'person/v1', 'area-config/v1']));
    for (const type of registry.eventTypes) expect(dirs).toContain(`events/${type.replace(/\.v(\d+)$/, '/v$1')}`);
  });

  describe.each(fixtureSets)('$schemaDir', (set) => {
    it('has valid and invalid fixtures', () => {
      expect(set.valid.length).toBeGreaterThan(0);
      expect(set.invalid.length).toBeGreaterThan(0);
    });

    it.each(set.valid.map((fixture) => [basename(fixture.file), fixture] as const))('accepts %s', (_name, fixture) => {
      expect(judge(set, fixture.document)).toBeUndefined();
    });

    it.each(set.invalid.map((fixture) => [basename(fixture.file), fixture] as const))('rejects %s as expected.json says', (_name, fixture) => {
      const outcome = judge(set, fixture.document);
      expect(outcome && { code: outcome.code, pointer: outcome.violation.pointer })
        .toEqual({ code: fixture.expected.code, pointer: expectedPointer(set, fixture.expected.pointer) });
      const { pointer, value, message } = outcome!.violation;
      expect(message.startsWith(`${pointer === '' ? '(root)' : pointer}: `)).toBe(true);
      expect(message).toContain(value === '(missing)' ? '(missing)' : describeValue(value));
    });
  });

  describe.each(fixtureSets.filter((set) => set.schemaDir.startsWith('events/')))('$schemaDir events', (set) => {
    const type = set.schemaDir.replace(/^events\//, '').replace(/\/v(\d+)$/, '.v$1');
    const fixtures = [...set.valid, ...set.invalid];

    it.each(fixtures.map((fixture) => [basename(fixture.file), fixture] as const))(
      '%s comes from an agency of area.json whose kind publishes the type', (_name, fixture) => {
        const event = fixture.document as { source: string; type?: string };
        expect(isAgencyEventType(type)).toBe(true);
        const agency = area.agencies.find((candidate) => candidate.id === agencyIdOfSource(event.source));
        expect(agency?.kind).toBe(isAgencyEventType(type) ? publisherKindOf(type) : 'a catalogue type');
        if (event.type !== undefined && !fixture.file.includes('invalid-')) expect(event.type).toBe(type);
      },
    );
  });
});
