import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AlertQueries } from '@hub/alerts';
import { ContinuityQueries, StoreLinkedBirthDates } from '@hub/continuity';
import { agencyIdOfSource, DomainError, londonDateOf } from '@hub/kernel';
import { identifierKeyOf, IdentityQueries } from '@hub/identity';
import { ReviewQueries } from '@hub/reviews';
import { DisclosureLogRepository, masked } from '@hub/sharing';
import { HubRuntime } from '../../runtime/hub-runtime';
import { personErasedType } from '../erasure/erase-person.handler';
import { type ExportedEvent, type ExportedPerson, SubjectAccessCommand, type SubjectAccessExport, type SubjectAccessLookup } from './subject-access.command';

/** The parts of an export, as its disclosure log entry names them. */
export const exportSections = ['identity', 'events', 'alerts', 'reviews', 'continuity', 'disclosures'] as const;

const flagOf: Record<Exclude<SubjectAccessLookup['kind'], 'person'>, string> = { nhsNumber: '--nhs-number', nomisId: '--nomis', deliusCrn: '--crn', pncId: '--pnc' };

/**
 * Subject access (UK GDPR Art 15): finds the person (by personRef, or by an identifier through the
 * identity index's keyed blind keys), then gathers what the hub holds on them: identity links and
 * why, every agency event of their subjects opened (or marked erased), alerts, review cases,
 * judged releases, and the disclosure log entries naming them. The export is a disclosure too: it
 * is appended to the log (recipient `data-subject`, purpose `subject-access`) before it is returned.
 */
@CommandHandler(SubjectAccessCommand)
export class SubjectAccessHandler implements ICommandHandler<SubjectAccessCommand> {
  constructor(private readonly hub: HubRuntime) {}

  async execute({ lookup, by }: SubjectAccessCommand): Promise<SubjectAccessExport> {
    const requestedAt = this.hub.clock.now().toISOString();
    const identity = new IdentityQueries(this.hub.database);
    const personRefs = await this.peopleOf(lookup, identity);
    const disclosures = new DisclosureLogRepository(this.hub.database);
    const people: ExportedPerson[] = [];
    for (const personRef of personRefs) people.push(await this.exportOf(personRef, identity, disclosures));
    const entry = people.length === 0 ? null : await disclosures.append({
      kind: 'subject-access', at: requestedAt, requestedBy: by, recipient: 'data-subject', purpose: 'subject-access',
      personRefs: people.map((p) => p.personRef), fields: [...exportSections], channel: 'export',
    });
    this.hub.logger.info({ people: people.length, events: people.reduce((n, p) => n + p.events.length, 0), lookedUpBy: lookup.kind }, 'subject access export');
    return { requestedAt, requestedBy: by, lookedUpBy: lookup.kind, people, disclosureLogSequence: entry?.sequence ?? null };
  }

  private async peopleOf(lookup: SubjectAccessLookup, identity: IdentityQueries): Promise<string[]> {
    if (lookup.kind === 'person') {
      if (!/^[A-Za-z0-9._:-]{1,200}$/.test(lookup.personRef)) {
        throw new DomainError('REQUEST.INVALID_PERSON_REF', `--person: ${JSON.stringify(lookup.personRef)} is not a personRef (letters, digits, '.', '_', ':' or '-')`);
      }
      return [lookup.personRef];
    }
    const key = identifierKeyOf(lookup.kind, lookup.value, (value) => this.hub.vault.blind(value));
    if (key === undefined) throw new DomainError('REQUEST.INVALID_IDENTIFIER', `${flagOf[lookup.kind]}: ${masked(lookup.value)} is not a valid ${lookup.kind}`);
    return identity.personsWithKey(key);
  }

  private async exportOf(personRef: string, identity: IdentityQueries, disclosures: DisclosureLogRepository): Promise<ExportedPerson> {
    const explanation = await identity.explain(personRef).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'IDENTITY.PERSON_NOT_FOUND') return undefined;
      throw error;
    });
    const events: ExportedEvent[] = [];
    for (const { subjectStream } of explanation?.subjects ?? []) {
      for (const event of await this.hub.vault.reveal(await this.hub.store.readStream(subjectStream))) {
        events.push({
          sourceAgency: agencyIdOfSource(event.source) ?? null, eventId: event.eventId, type: event.type, subjectStream,
          occurredAt: new Date(event.occurredAt).toISOString(), recordedAt: new Date(event.recordedAt).toISOString(),
          personalDataErased: event.erased, subject: event.subject, data: event.data,
        });
      }
    }
    const today = londonDateOf(this.hub.clock.now());
    const continuity = new ContinuityQueries(this.hub.database, new StoreLinkedBirthDates(this.hub.store, this.hub.vault, this.hub.database));
    return {
      personRef,
      erasure: await this.erasureOf(personRef),
      identity: explanation ?? null,
      events: events.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.eventId.localeCompare(b.eventId)),
      alerts: await new AlertQueries(this.hub.database).list({ status: 'all', personRef }),
      reviews: (await new ReviewQueries(this.hub.database).list({ status: 'all', today })).filter((r) => r.personRef === personRef),
      continuity: await continuity.releasesOf(personRef),
      disclosures: await disclosures.list({ personRef, limit: 100_000 }),
    };
  }

  private async erasureOf(personRef: string): Promise<ExportedPerson['erasure']> {
    const { rows } = await this.hub.database.query<{ erased_at: string; by: string }>(
      `SELECT data->>'erasedAt' AS erased_at, data->>'by' AS by FROM event_store.events
       WHERE type = $1 AND data->>'personRef' = $2 ORDER BY global_position LIMIT 1`, [personErasedType, personRef],
    );
    return rows[0] ? { erasedAt: rows[0].erased_at, by: rows[0].by } : null;
  }
}
