import { Command } from '@nestjs/cqrs';
import type { LinkedIdentifier } from '@hub/identity';

/** Who the request is about: a personRef, or an identifier the person's agency records carry. */
export type SubjectAccessLookup =
  | { readonly kind: 'person'; readonly personRef: string }
  | { readonly kind: LinkedIdentifier; readonly value: string };

/** One agency event about the person, opened, with where and when it came from. */
export interface ExportedEvent {
  readonly sourceAgency: string | null;
  readonly eventId: string;
  readonly type: string;
  readonly subjectStream: string;
  /** Business time (CloudEvents `time`). */
  readonly occurredAt: string;
  /** When the hub received it. */
  readonly recordedAt: string;
  /** True when its personal fields can no longer be opened (erasure or retention): `subject` and those fields are absent. */
  readonly personalDataErased: boolean;
  readonly subject: string | null;
  readonly data: Record<string, unknown>;
}

export interface ExportedPerson {
  readonly personRef: string;
  /** Erased by `hub erase`: when and by whom; null otherwise. */
  readonly erasure: { readonly erasedAt: string; readonly by: string } | null;
  readonly identity: unknown;
  readonly events: readonly ExportedEvent[];
  readonly alerts: readonly unknown[];
  readonly reviews: readonly unknown[];
  readonly continuity: readonly unknown[];
  /** Disclosure log entries naming the person, before this export. */
  readonly disclosures: readonly unknown[];
}

export interface SubjectAccessExport {
  readonly requestedAt: string;
  readonly requestedBy: string;
  /** How the person was looked up (the kind of identifier, never its value). */
  readonly lookedUpBy: SubjectAccessLookup['kind'];
  readonly people: readonly ExportedPerson[];
  /** The export's own entry in the disclosure log; null when the hub holds nothing on anyone matching. */
  readonly disclosureLogSequence: number | null;
}

/** `hub subject-access`: everything the hub holds on a person, with its provenance; itself a logged disclosure. */
export class SubjectAccessCommand extends Command<SubjectAccessExport> {
  constructor(readonly lookup: SubjectAccessLookup, readonly by: string) {
    super();
  }
}
