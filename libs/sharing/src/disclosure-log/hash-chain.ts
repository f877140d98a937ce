import { createHash } from 'node:crypto';
import { DomainError, canonicalJson, purposes } from '@hub/kernel';
import {
  type AuditLogEntry, type AuditLogInput, disclosureChannels, type ErasureInput, type ErasureLogEntry, genesisHash,
  type DisclosureInput, type DisclosureLogEntry, type SubjectAccessInput, type SubjectAccessLogEntry,
} from './disclosure-log-entry';

/** The hash an entry must carry: over the previous hash and every other field of the entry. */
export function hashOf(entryWithoutHash: Omit<DisclosureLogEntry, 'hash'> | Omit<ErasureLogEntry, 'hash'> | Omit<SubjectAccessLogEntry, 'hash'>): string {
  return createHash('sha256').update(entryWithoutHash.previousHash + canonicalJson(entryWithoutHash), 'utf8').digest('hex');
}

/** The next entry after `previous` (null for the first entry of the log). */
export function appendEntry(previous: AuditLogEntry | null, input: DisclosureInput): DisclosureLogEntry;
export function appendEntry(previous: AuditLogEntry | null, input: ErasureInput): ErasureLogEntry;
export function appendEntry(previous: AuditLogEntry | null, input: SubjectAccessInput): SubjectAccessLogEntry;
export function appendEntry(previous: AuditLogEntry | null, input: AuditLogInput): AuditLogEntry;
export function appendEntry(previous: AuditLogEntry | null, input: AuditLogInput): AuditLogEntry {
  if ('kind' in input && input.kind === 'erasure') return appendErasure(previous, input);
  if ('kind' in input && input.kind === 'subject-access') return appendSubjectAccess(previous, input);
  return appendDisclosure(previous, input as DisclosureInput);
}

function appendSubjectAccess(previous: AuditLogEntry | null, input: SubjectAccessInput): SubjectAccessLogEntry {
  const fail = (field: string, value: unknown, problem: string): never => {
    throw new DomainError('DISCLOSURE_LOG.INVALID_ENTRY', `subject access log entry: ${field} ${JSON.stringify(value)} ${problem}`, { field, value });
  };
  if (typeof input.at !== 'string' || Number.isNaN(Date.parse(input.at))) fail('at', input.at, 'is not an ISO 8601 instant');
  if (typeof input.requestedBy !== 'string' || input.requestedBy === '') fail('requestedBy', input.requestedBy, 'is empty');
  if (!Array.isArray(input.personRefs) || input.personRefs.length === 0) fail('personRefs', input.personRefs, 'is empty');
  if (!Array.isArray(input.fields)) fail('fields', input.fields, 'is not a list');
  const unsealed: Omit<SubjectAccessLogEntry, 'hash'> = {
    kind: 'subject-access', sequence: previous === null ? 1 : previous.sequence + 1, at: input.at, requestedBy: input.requestedBy,
    recipient: 'data-subject', purpose: 'subject-access', personRefs: [...input.personRefs], fields: [...input.fields], channel: 'export',
    previousHash: previous === null ? genesisHash : previous.hash,
  };
  return { ...unsealed, hash: hashOf(unsealed) };
}

function appendErasure(previous: AuditLogEntry | null, input: ErasureInput): ErasureLogEntry {
  const fail = (field: string, value: unknown, problem: string): never => {
    throw new DomainError('DISCLOSURE_LOG.INVALID_ENTRY', `erasure log entry: ${field} ${JSON.stringify(value)} ${problem}`, { field, value });
  };
  if (typeof input.at !== 'string' || Number.isNaN(Date.parse(input.at))) fail('at', input.at, 'is not an ISO 8601 instant');
  if (typeof input.requestedBy !== 'string' || input.requestedBy === '') fail('requestedBy', input.requestedBy, 'is empty');
  if (!Array.isArray(input.personRefs) || input.personRefs.length === 0) fail('personRefs', input.personRefs, 'is empty');
  for (const field of ['subjectStreams', 'keysDeleted'] as const) {
    if (!Number.isInteger(input[field]) || input[field] < 0) fail(field, input[field], 'is not a count');
  }
  const unsealed: Omit<ErasureLogEntry, 'hash'> = {
    kind: 'erasure',
    sequence: previous === null ? 1 : previous.sequence + 1,
    at: input.at,
    requestedBy: input.requestedBy,
    personRefs: [...input.personRefs],
    subjectStreams: input.subjectStreams,
    keysDeleted: input.keysDeleted,
    previousHash: previous === null ? genesisHash : previous.hash,
  };
  return { ...unsealed, hash: hashOf(unsealed) };
}

function appendDisclosure(previous: AuditLogEntry | null, input: DisclosureInput): DisclosureLogEntry {
  validateInput(input);
  const unsealed: Omit<DisclosureLogEntry, 'hash'> = {
    sequence: previous === null ? 1 : previous.sequence + 1,
    at: input.at,
    recipient: input.recipient,
    purpose: input.purpose,
    agreementId: input.agreementId,
    clause: input.clause,
    personRefs: [...input.personRefs],
    fields: [...input.fields],
    channel: input.channel,
    previousHash: previous === null ? genesisHash : previous.hash,
  };
  return { ...unsealed, hash: hashOf(unsealed) };
}

function validateInput(input: DisclosureInput): void {
  const fail = (field: string, value: unknown, problem: string): never => {
    throw new DomainError('DISCLOSURE_LOG.INVALID_ENTRY', `disclosure log entry: ${field} ${JSON.stringify(value)} ${problem}`,
      { field, value });
  };
  if (typeof input.at !== 'string' || Number.isNaN(Date.parse(input.at))) fail('at', input.at, 'is not an ISO 8601 instant');
  for (const field of ['recipient', 'agreementId', 'clause'] as const) {
    if (typeof input[field] !== 'string' || input[field] === '') fail(field, input[field], 'is empty');
  }
  if (!(purposes as readonly string[]).includes(input.purpose)) fail('purpose', input.purpose, 'is not a purpose');
  if (!(disclosureChannels as readonly string[]).includes(input.channel)) {
    fail('channel', input.channel, `is not one of ${disclosureChannels.join(', ')}`);
  }
  if (!Array.isArray(input.personRefs) || input.personRefs.length === 0) fail('personRefs', input.personRefs, 'is empty');
  if (!Array.isArray(input.fields)) fail('fields', input.fields, 'is not a list');
}

export type ChainVerification =
  | { readonly ok: true; readonly entries: number }
  | { readonly ok: false; readonly firstBrokenSequence: number; readonly position: number; readonly reason: string };

export interface ChainAnchors {
  /** Where `entries` start: the entry before them (default: the genesis, sequence 0). */
  readonly after?: { readonly sequence: number; readonly hash: string };
  /** The head recorded elsewhere (e.g. last published hash): detects a truncated log. */
  readonly head?: { readonly sequence: number; readonly hash: string };
}

/**
 * Recomputes the chain and names the first entry that cannot be trusted: a sequence out of
 * place (missing, inserted or reordered entries), content that no longer matches its hash,
 * or a link to a previous hash that is not the previous entry's.
 */
export function verifyChain(entries: readonly AuditLogEntry[], anchors: ChainAnchors = {}): ChainVerification {
  const start = anchors.after ?? { sequence: 0, hash: genesisHash };
  let previousHash = start.hash;
  for (const [position, entry] of entries.entries()) {
    const expected = start.sequence + position + 1;
    const broken = (reason: string): ChainVerification => ({ ok: false, firstBrokenSequence: expected, position, reason });
    if (entry.sequence !== expected) {
      return broken(`expected entry ${expected} at position ${position}, found sequence ${JSON.stringify(entry.sequence)}: ` +
        'an entry is missing, inserted or out of order');
    }
    const { hash, ...unsealed } = entry;
    if (hashOf(unsealed) !== hash) return broken(`entry ${expected}: its hash does not match its content (the entry was altered)`);
    if (entry.previousHash !== previousHash) {
      return broken(`entry ${expected}: previousHash is not the hash of entry ${expected - 1} (the chain was cut or spliced)`);
    }
    previousHash = hash;
  }
  const last = start.sequence + entries.length;
  if (anchors.head && (anchors.head.sequence !== last || anchors.head.hash !== previousHash)) {
    return {
      ok: false, firstBrokenSequence: Math.min(last, anchors.head.sequence) + 1, position: entries.length,
      reason: `the log ends at entry ${last} but the recorded head is entry ${anchors.head.sequence} ` +
        '(entries removed from the end, or a different log)',
    };
  }
  return { ok: true, entries: entries.length };
}
