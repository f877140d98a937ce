import { createHash } from 'node:crypto';
import { canonicalJson } from '@hub/kernel';
import { genesisHash, type DisclosureInput, type DisclosureLogEntry } from './disclosure-log-entry';
import { appendEntry, verifyChain } from './hash-chain';

const disclosure = (n: number): DisclosureInput => ({
  at: `2026-03-0${1 + (n % 9)}T09:00:00Z`, recipient: 'probation-northshire', purpose: 'near-miss-alerting',
  agreementId: 'dsa-northshire-cdp', clause: 'dsa-northshire-cdp v1 / near-miss-alerting',
  personRefs: [`p-${n}a`, `p-${n}b`], fields: ['personRef', 'overdoseAt'], channel: n % 2 ? 'alert' : 'http',
});

function log(length: number): DisclosureLogEntry[] {
  const entries: DisclosureLogEntry[] = [];
  for (let n = 0; n < length; n++) entries.push(appendEntry(entries[n - 1] ?? null, disclosure(n)));
  return entries;
}

describe('disclosure log hash chain', () => {
  it('starts at sequence 1 from the genesis hash, with hash = sha256(previousHash + canonical JSON)', () => {
    const first = appendEntry(null, disclosure(0));
    expect(first).toMatchObject({ sequence: 1, previousHash: genesisHash, ...disclosure(0) });
    const { hash, ...rest } = first;
    expect(hash).toBe(createHash('sha256').update(genesisHash + canonicalJson(rest)).digest('hex'));
    const second = appendEntry(first, disclosure(1));
    expect(second).toMatchObject({ sequence: 2, previousHash: first.hash });
  });

  it('verifies an intact log', () => {
    expect(verifyChain(log(5))).toEqual({ ok: true, entries: 5 });
    expect(verifyChain([])).toEqual({ ok: true, entries: 0 });
  });

  it('finds a byte flipped anywhere in the stored log and names the entry', () => {
    const entries = log(4);
    let unreadable = 0;
    let verified = 0;
    entries.forEach((entry, index) => {
      const stored = Buffer.from(JSON.stringify(entry), 'utf8');
      for (let i = 0; i < stored.length; i++) {
        const flipped = Buffer.from(stored);
        flipped[i] = flipped[i]! ^ 0x01;
        let altered: DisclosureLogEntry;
        try {
          altered = JSON.parse(flipped.toString('utf8')) as DisclosureLogEntry;
        } catch {
          unreadable += 1; // Not even loadable: caught before verification.
          continue;
        }
        verified += 1;
        const result = verifyChain(entries.map((e, j) => (j === index ? altered : e)));
        expect({ at: i, result }).toMatchObject({ at: i, result: { ok: false, firstBrokenSequence: entry.sequence } });
      }
    });
    // Most flips still parse as JSON: those are the ones the chain must catch.
    expect(verified).toBeGreaterThan(4 * unreadable);
  });

  it('finds a reordering', () => {
    const [a, b, c, d] = log(4) as [DisclosureLogEntry, DisclosureLogEntry, DisclosureLogEntry, DisclosureLogEntry];
    expect(verifyChain([a, c, b, d])).toMatchObject({ ok: false, firstBrokenSequence: 2, reason: expect.stringContaining('out of order') });
  });

  it('finds a deletion, at the start, in the middle, and at the end when the head is known', () => {
    const entries = log(4);
    expect(verifyChain(entries.slice(1))).toMatchObject({ ok: false, firstBrokenSequence: 1 });
    expect(verifyChain([entries[0]!, entries[2]!, entries[3]!])).toMatchObject({ ok: false, firstBrokenSequence: 2 });
    const head = { sequence: 4, hash: entries[3]!.hash };
    expect(verifyChain(entries.slice(0, 3), { head })).toMatchObject({ ok: false, firstBrokenSequence: 4 });
    expect(verifyChain(entries, { head })).toEqual({ ok: true, entries: 4 });
  });

  it('finds an insertion, even of an entry hashed correctly and renumbered', () => {
    const entries = log(3);
    const copied = [entries[0]!, entries[1]!, entries[1]!, entries[2]!];
    expect(verifyChain(copied)).toMatchObject({ ok: false, firstBrokenSequence: 3 });
    const forged = appendEntry(entries[1]!, { ...disclosure(9), recipient: 'police-northshire' });
    const renumbered = [entries[0]!, entries[1]!, forged, { ...entries[2]!, sequence: 4 }];
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, firstBrokenSequence: 4, reason: expect.stringContaining('altered') });
  });

  it('finds an entry spliced in from another chain', () => {
    const entries = log(3);
    const foreign = appendEntry(appendEntry(null, disclosure(7)), disclosure(8));
    expect(verifyChain([entries[0]!, foreign, entries[2]!]))
      .toMatchObject({ ok: false, firstBrokenSequence: 2, reason: expect.stringContaining('previousHash') });
  });

  it('verifies a page of the log from a trusted earlier entry', () => {
    const entries = log(6);
    expect(verifyChain(entries.slice(3), { after: { sequence: 3, hash: entries[2]!.hash } })).toEqual({ ok: true, entries: 3 });
    expect(verifyChain(entries.slice(3), { after: { sequence: 3, hash: entries[1]!.hash } }))
      .toMatchObject({ ok: false, firstBrokenSequence: 4 });
  });

  it('refuses an entry without a person or with an unknown channel', () => {
    expect(() => appendEntry(null, { ...disclosure(0), personRefs: [] })).toThrow('personRefs [] is empty');
    expect(() => appendEntry(null, { ...disclosure(0), channel: 'email' as never })).toThrow('channel "email" is not one of');
  });
});

describe('erasures in the disclosure log chain', () => {
  const erasure = { kind: 'erasure' as const, at: '2026-03-05T10:00:00.000Z', requestedBy: 'cli:dpo', personRefs: ['person-1'], subjectStreams: 2, keysDeleted: 2 };

  it('Given disclosures, When a person is erased, Then the erasure is the next link of the same chain', () => {
    const first = appendEntry(null, disclosure(0));
    const erased = appendEntry(first, erasure);
    expect(erased).toMatchObject({ ...erasure, sequence: 2, previousHash: first.hash });
    const after = appendEntry(erased, disclosure(1));
    expect(verifyChain([first, erased, after])).toEqual({ ok: true, entries: 3 });
  });

  it('finds an altered erasure entry and names it', () => {
    const first = appendEntry(null, disclosure(0));
    const erased = appendEntry(first, erasure);
    expect(verifyChain([first, { ...erased, personRefs: ['person-2'] }])).toMatchObject({ ok: false, firstBrokenSequence: 2 });
  });

  it('refuses an erasure without a person or with a negative count, naming the field', () => {
    expect(() => appendEntry(null, { ...erasure, personRefs: [] })).toThrow('personRefs [] is empty');
    expect(() => appendEntry(null, { ...erasure, keysDeleted: -1 })).toThrow('keysDeleted -1 is not a count');
  });
});

describe('subject access exports in the chain', () => {
  const access = { kind: 'subject-access', at: '2026-03-10T10:00:00Z', requestedBy: 'cli:dpo', recipient: 'data-subject', purpose: 'subject-access', personRefs: ['P-1'], fields: ['events', 'alerts'], channel: 'export' } as const;

  it('Given a log, When a subject access export is appended, Then it chains like a disclosure and a changed byte is found', () => {
    const entries = [...log(2)];
    const exported = appendEntry(entries[1]!, access);
    expect(exported).toMatchObject({ sequence: 3, kind: 'subject-access', recipient: 'data-subject', purpose: 'subject-access', previousHash: entries[1]!.hash });
    expect(verifyChain([...entries, exported])).toEqual({ ok: true, entries: 3 });
    expect(verifyChain([...entries, { ...exported, personRefs: ['P-2'] }])).toMatchObject({ ok: false, firstBrokenSequence: 3 });
  });

  it('refuses an export without a person or a requester, naming the field', () => {
    expect(() => appendEntry(null, { ...access, personRefs: [] })).toThrow('personRefs [] is empty');
    expect(() => appendEntry(null, { ...access, requestedBy: '' })).toThrow('requestedBy "" is empty');
  });
});
