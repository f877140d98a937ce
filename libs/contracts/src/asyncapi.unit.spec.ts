import { join } from 'node:path';
import { type AsyncAPIDocumentInterface, DiagnosticSeverity, fromFile, Parser } from '@asyncapi/parser';
import { rejectionCodes } from '@hub/kernel';
import { findContractsDir } from './contract-files';
import { ContractRegistry } from './contract-registry';

const registry = ContractRegistry.load();
const schemaIdOf = (type: string) => (registry.schemaOf(type) as { $id: string }).$id;

describe('contracts/asyncapi.yaml', () => {
  let document: AsyncAPIDocumentInterface;

  beforeAll(async () => {
    const { document: parsed, diagnostics } = await fromFile(new Parser(), join(findContractsDir(), 'asyncapi.yaml')).parse();
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error);
    expect(errors.map((error) => `${error.path.join('.')}: ${error.message}`)).toEqual([]);
    document = parsed!;
  }, 60_000);

  it('is an AsyncAPI 3.0 document with the inbound, rejected and outbound channels', () => {
    expect(document.version()).toBe('3.0.0');
    expect(document.channels().all().map((channel) => channel.address()).sort())
      .toEqual(['cdp.inbound.{agencyId}', 'cdp.outbound.{agencyId}', 'cdp.rejected.{agencyId}']);
  });

  it.each(registry.eventTypes.map((type) => [type]))('describes %s in structured and binary mode, by its JSON Schema', (type) => {
    const inbound = document.channels().get('inbound')!.messages();
    const structured = inbound.get(type);
    const binary = inbound.get(`${type}.binary`);
    expect(structured?.contentType()).toBe('application/cloudevents+json');
    const structuredParts = structured?.payload()?.allOf() ?? [];
    const envelopeId = schemaIdOf(type).replace(/events\/.*$/, 'envelope/v1/schema.json');
    expect(structuredParts.map((part) => part.$id())).toContain(envelopeId);
    expect(structuredParts.map((part) => part.properties()?.['data']?.$id())).toContain(schemaIdOf(type));
    expect(binary?.payload()?.$id()).toBe(schemaIdOf(type));
    const headerParts = binary?.headers()?.allOf() ?? [];
    const headerNames = headerParts.flatMap((part) => Object.keys(part.properties() ?? {}));
    expect(headerNames).toEqual(expect.arrayContaining(['ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_subject', 'ce_time']));
    expect(headerParts.map((part) => part.properties()?.['ce_type']?.const())).toContain(type);
  });

  it('describes no inbound type the registry lacks', () => {
    const described = document.channels().get('inbound')!.messages().all().map((message) => message.id().replace(/\.binary$/, ''));
    expect([...new Set(described)].sort()).toEqual([...registry.eventTypes]);
  });

  it('returns rejected messages with the rejection code and message as headers', () => {
    const [rejected] = document.channels().get('rejected')!.messages().all();
    const headers = rejected!.headers()!.properties()!;
    expect(headers['cdp_rejection_code']!.enum()).toEqual([...rejectionCodes]);
    expect(headers['cdp_rejection_message']!.type()).toBe('string');
    expect(rejected!.headers()!.required()).toEqual(['cdp_rejection_code', 'cdp_rejection_message']);
  });

  it('keys outbound hub events by the hub event id', () => {
    const outbound = document.channels().get('outbound')!.messages().all();
    expect(outbound.map((message) => message.id())).toEqual(expect.arrayContaining(['hub.alert.raised.v1', 'hub.ingest.receipt.v1', 'hub.agreement.changed.v1']));
    for (const message of outbound) {
      expect(message.bindings().get('kafka')?.value()['key']).toMatchObject({ description: 'The hub event id.' });
    }
  });
});
