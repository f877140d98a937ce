import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findContractsDir } from './contract-files';
import { ContractRegistry } from './contract-registry';

const registry = ContractRegistry.load();
const release = JSON.parse(readFileSync(
  join(findContractsDir(), 'events/prison.release.recorded/v1/fixtures/valid-with-referral.json'), 'utf8',
)) as { type: string; data: Record<string, unknown> } & Record<string, unknown>;

describe('ContractRegistry', () => {
  it('finds the repository contracts by default, the same as an explicit directory', () => {
    expect(ContractRegistry.load(findContractsDir()).eventTypes).toEqual(registry.eventTypes);
  });

  it('gives the missing field and (missing) for a required field', () => {
    const { releasedOn: _omitted, ...data } = release.data;
    expect(registry.validateData(release.type, data)).toEqual([{
      pointer: '/data/releasedOn', value: '(missing)', keyword: 'required', message: '/data/releasedOn: required field is (missing)',
    }]);
  });

  it('names the envelope attribute and its value', () => {
    expect(registry.validateEnvelope({ ...release, datacontenttype: 'text/csv' })).toEqual([{
      pointer: '/datacontenttype', value: 'text/csv', keyword: 'const', message: '/datacontenttype: "text/csv" is not "application/json"',
    }]);
  });

  it('accepts nulls only where the SPEC allows them', () => {
    expect(registry.validateData(release.type, { ...release.data, referral: null, substanceGroup: null })).toEqual([]);
    expect(registry.validateData(release.type, { ...release.data, naloxoneIssued: null }))
      .toMatchObject([{ pointer: '/data/naloxoneIssued', message: '/data/naloxoneIssued: null must be boolean' }]);
  });

  it('takes RFC 3339 times with an offset only', () => {
    const at = (time: string) => registry.validateEnvelope({ ...release, time });
    expect(at('2026-03-02T09:00:00Z')).toEqual([]);
    expect(at('2026-03-02T10:00:00.123456+01:00')).toEqual([]);
    for (const time of ['2026-03-02T09:00:00', '2026-03-02 09:00:00Z', '2026-02-30T09:00:00Z', '2026-03-02T24:00:00Z', '2026-03-02']) {
      expect(at(time)).toMatchObject([{ pointer: '/time', keyword: 'format' }]);
    }
  });

  it('allows CloudEvents extension attributes but nothing else', () => {
    expect(registry.validateEnvelope({ ...release, traceparent: '00-abc-01', sequence: 7 })).toEqual([]);
    expect(registry.validateEnvelope({ ...release, trace_parent: 'x' })).toMatchObject([{ pointer: '/trace_parent' }]);
    expect(registry.validateEnvelope({ ...release, averyveryverylongextension: 'x' })).toMatchObject([{ pointer: '/averyveryverylongextension' }]);
  });

  it('says the document root when the whole document is wrong', () => {
    expect(registry.validateEnvelope([])).toEqual([{ pointer: '', value: [], keyword: 'type', message: '(root): [] must be object' }]);
    expect(registry.validateData(release.type, 'x')).toMatchObject([{ pointer: '/data', message: '/data: "x" must be object' }]);
  });

  it('refuses to validate data of a type it has no schema for', () => {
    expect(registry.hasDataSchema('prison.escape.recorded.v1')).toBe(false);
    expect(() => registry.validateData('prison.escape.recorded.v1', {})).toThrow('No data schema for event type "prison.escape.recorded.v1"');
    expect(() => registry.schemaOf('prison.escape.recorded.v1')).toThrow('prison.escape.recorded.v1');
  });

  it('hands out copies of the raw schemas', () => {
    const schema = registry.schemaOf(release.type) as { $id: string; required: string[] };
    expect(schema.$id).toMatch(/\/contracts\/events\/prison\.release\.recorded\/v1\/schema\.json$/);
    schema.required.length = 0;
    expect((registry.schemaOf(release.type) as { required: string[] }).required).toContain('releasedOn');
  });

  describe('loading', () => {
    let copy: string;
    beforeEach(() => {
      copy = mkdtempSync(join(tmpdir(), 'contracts-'));
      cpSync(findContractsDir(), copy, { recursive: true });
    });
    afterEach(() => rmSync(copy, { recursive: true, force: true }));

    it('refuses a schema whose $id does not mirror its path (its relative $refs would break)', () => {
      const file = join(copy, 'events/treatment.started/v1/schema.json');
      const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...schema, $id: 'https://cdp-hub.example/contracts/events/treatment.begun/v1/schema.json' }));
      expect(() => ContractRegistry.load(copy)).toThrow(/treatment\.started\/v1\/schema\.json: \$id/);
    });

    it('refuses a schema that is not valid JSON Schema', () => {
      const file = join(copy, 'events/treatment.started/v1/schema.json');
      const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...schema, required: 'startedOn' }));
      expect(() => ContractRegistry.load(copy)).toThrow(/schema is invalid/);
    });

    it('picks up a new type version from its directory', () => {
      const v2 = join(copy, 'events/treatment.started/v2');
      cpSync(join(copy, 'events/treatment.started/v1'), v2, { recursive: true });
      const file = join(v2, 'schema.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace('treatment.started/v1', 'treatment.started/v2'));
      expect(ContractRegistry.load(copy).eventTypes).toEqual(expect.arrayContaining(['treatment.started.v1', 'treatment.started.v2']));
    });
  });
});
