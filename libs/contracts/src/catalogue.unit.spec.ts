import {
  agencyEventTypes, agencyKinds, agreementStatuses, eventTypePattern, factEventTypes, publisherKindOf, publishingKinds, purposes,
  retractionEventTypes,
} from '@hub/kernel';
import { findContractsDir, readContractFiles } from './contract-files';
import { ContractRegistry } from './contract-registry';

const registry = ContractRegistry.load();

type Schema = { properties: Record<string, Schema>; definitions: Record<string, Schema>; items: Schema; enum: unknown[]; pattern: string };
const schemaOf = (type: string) => registry.schemaOf(type) as Schema;

describe('contracts match the kernel catalogue', () => {
  it('has a data schema for every catalogue type and none other', () => {
    expect([...registry.eventTypes].sort()).toEqual([...agencyEventTypes].sort());
  });

  it.each(retractionEventTypes.map((type) => [type]))('%s may retract exactly the fact types of its own kind', (type) => {
    const kind = publisherKindOf(type);
    const ownFactTypes = Object.entries(factEventTypes).filter(([, owner]) => owner === kind).map(([factType]) => factType);
    expect(schemaOf(type).properties['retractedType']!.enum).toEqual(ownFactTypes);
  });

  it('covers every publishing kind with a retraction type', () => {
    expect(publishingKinds.map((kind) => registry.hasDataSchema(`${kind}.record.retracted.v1`))).not.toContain(false);
  });
});

describe('schemas repeat the kernel vocabulary faithfully', () => {
  const raw = readContractFiles(findContractsDir());
  const files = { envelope: raw.envelope as unknown as Schema, areaConfig: raw.areaConfig as unknown as Schema };

  it('envelope type pattern is the kernel eventTypePattern', () => {
    expect(files.envelope.properties['type']!.pattern).toBe(eventTypePattern);
  });

  it('area configuration enumerates the kernel agency kinds, agreement statuses and purposes', () => {
    const { agency, agreement, purpose } = files.areaConfig.definitions;
    expect(agency!.properties['kind']!.enum).toEqual([...agencyKinds]);
    expect(agreement!.properties['status']!.enum).toEqual([...agreementStatuses]);
    expect(purpose!.properties['purpose']!.enum).toEqual([...purposes]);
  });

  it('area configuration agreements name catalogue fact types or "*"', () => {
    expect(files.areaConfig.definitions['purpose']!.properties['eventTypes']!.items.enum).toEqual([...Object.keys(factEventTypes), '*']);
  });
});
