import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { type AsyncAPIDocumentInterface, fromFile, Parser } from '@asyncapi/parser';
import { ingestReceipts, rejectedRecord } from '@hub/inbound';
import type { ReceivedMessage } from '@hub/messaging';
import { emptyDirectory } from '@hub/sharing';
import { agreementChangeNotices } from '../../apps/hub/src/use-cases/init-area/agreement-change-notices';
import { findContractsDir } from '../../libs/contracts/src/contract-files';

/** What the hub sends is what contracts/asyncapi.yaml says it sends. */
describe('outbound and rejected messages against contracts/asyncapi.yaml', () => {
  let document: AsyncAPIDocumentInterface;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);

  beforeAll(async () => {
    document = (await fromFile(new Parser(), join(findContractsDir(), 'asyncapi.yaml')).parse()).document!;
  }, 60_000);

  const payloadSchema = (id: string) => document.channels().get('outbound')!.messages().get(id)!.payload()!.json();
  const record = (offset: string): ReceivedMessage => ({
    topic: 'cdp.inbound.police-northshire', partition: 0, offset, key: 'P1', value: Buffer.from('{}'), headers: {}, timestamp: '0',
  });

  it('describes every receipt the consumer writes: accepted, duplicate, rejected and unparseable', () => {
    const validate = ajv.compile(payloadSchema('hub.ingest.receipt.v1'));
    const receipts = ingestReceipts([record('1'), record('2'), record('3'), record('4')], [
      { status: 'accepted', id: 'e1', globalPosition: 1 }, { status: 'duplicate', id: 'e2' },
      { status: 'rejected', id: 'e3', code: 'NOT_PERMITTED', pointer: '/type', message: 'm' },
      { status: 'rejected', id: null, code: 'SCHEMA_INVALID', pointer: '', message: 'not JSON' },
    ], 'northshire', new Date('2026-11-02T09:30:00Z'));
    for (const receipt of receipts) expect({ receipt, errors: validate(receipt) ? [] : validate.errors }).toEqual({ receipt, errors: [] });
    // The schema has teeth: a receipt without its record coordinates is not one.
    expect(validate({ ...receipts[0], data: { eventId: 'e1', outcome: 'accepted' } })).toBe(false);
  });

  it('describes the agreement change notices', () => {
    const validate = ajv.compile(payloadSchema('hub.agreement.changed.v1'));
    const [delivery] = agreementChangeNotices(emptyDirectory, [{
      eventId: '1b0e8f36-2d0c-4c55-9d0a-9a0f0c1b2c3d',
      event: {
        type: 'AgreementRegistered',
        data: {
          agreementId: 'dsa-1', by: 'ops', reason: 'loaded', at: '2026-11-02T09:30:00Z', version: 1, status: 'active',
          terms: {
            title: 'T', effectiveFrom: '2024-01-01', effectiveTo: '2028-12-31', reviewOn: '2026-01-01', respectsNationalDataOptOut: true,
            purposes: [{ purpose: 'continuity-of-care', lawfulBasis: 'x', providers: ['a'], recipients: ['b'], eventTypes: ['*'], personLevel: true, retentionDays: 30 }],
          },
        },
      },
    }], 'northshire', '2026-11-02T09:30:00.000Z');
    const [notice] = delivery!.events;
    expect(validate(notice) ? [] : validate.errors).toEqual([]);
  });

  it('describes every header a rejected record carries', () => {
    const headers = rejectedRecord(record('9'), { status: 'rejected', id: 'e', code: 'SOURCE_MISMATCH', pointer: '/source', message: 'm' }).headers!;
    const [rejected] = document.channels().get('rejected')!.messages().all();
    const described = Object.keys(rejected!.headers()!.properties() ?? {});
    expect(Object.keys(headers).filter((name) => !described.includes(name))).toEqual([]);
  });
});
