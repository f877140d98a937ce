import type { Purpose } from '@hub/kernel';

/** How person data left the hub. */
export const disclosureChannels = ['http', 'alert', 'worklist', 'review', 'export'] as const;
export type DisclosureChannel = (typeof disclosureChannels)[number];

/** One disclosure of person-level data, as the caller describes it. */
export interface DisclosureInput {
  /** ISO 8601 instant of the disclosure. */
  readonly at: string;
  readonly recipient: string;
  readonly purpose: Purpose;
  readonly agreementId: string;
  /** As named by the policy decision, e.g. `dsa-northshire-cdp v1 / near-miss-alerting`. */
  readonly clause: string;
  /** Pseudonymous person ids only: the log itself holds no personal data. */
  readonly personRefs: readonly string[];
  readonly fields: readonly string[];
  readonly channel: DisclosureChannel;
}

/** A log entry: numbered from 1, chained to the one before it by hash. */
export interface DisclosureLogEntry extends DisclosureInput {
  readonly sequence: number;
  readonly previousHash: string;
  /** sha256(previousHash + canonicalJson(entry without `hash`)), hex. */
  readonly hash: string;
}

/**
 * The erasure of a person (`hub erase`): recorded in the same chain, so the log shows what was
 * disclosed before and that nothing can be disclosed after. No reason text (it may name the
 * person): that stays with the operator's request.
 */
export interface ErasureInput {
  readonly kind: 'erasure';
  /** ISO 8601 instant of the erasure. */
  readonly at: string;
  /** Who ordered it (an operator or administrator id). */
  readonly requestedBy: string;
  /** The erased person's pseudonymous id. */
  readonly personRefs: readonly string[];
  /** How many agency subject streams the person had, and how many keys were deleted now. */
  readonly subjectStreams: number;
  readonly keysDeleted: number;
}

export interface ErasureLogEntry extends ErasureInput {
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
}

/**
 * A subject access export (`hub subject-access`): everything the hub holds on a person, given to
 * the person (through the data protection officer who ran it). A disclosure like the others, to
 * recipient `data-subject`, for purpose `subject-access`; `fields` names the parts of the export.
 */
export interface SubjectAccessInput {
  readonly kind: 'subject-access';
  readonly at: string;
  readonly requestedBy: string;
  readonly recipient: 'data-subject';
  readonly purpose: 'subject-access';
  readonly personRefs: readonly string[];
  readonly fields: readonly string[];
  readonly channel: 'export';
}

export interface SubjectAccessLogEntry extends SubjectAccessInput {
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
}

export type AuditLogInput = DisclosureInput | ErasureInput | SubjectAccessInput;
/** Every entry of the log: disclosures (no `kind`), erasures and subject access exports. */
export type AuditLogEntry = DisclosureLogEntry | ErasureLogEntry | SubjectAccessLogEntry;

export function isErasureEntry(entry: AuditLogEntry): entry is ErasureLogEntry {
  return (entry as { kind?: string }).kind === 'erasure';
}

export function isSubjectAccessEntry(entry: AuditLogEntry): entry is SubjectAccessLogEntry {
  return (entry as { kind?: string }).kind === 'subject-access';
}

/** What the first entry chains to. */
export const genesisHash = '0'.repeat(64);
