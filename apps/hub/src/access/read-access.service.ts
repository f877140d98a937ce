import { Injectable } from '@nestjs/common';
import { DomainError, londonDateOf, type LocalDate, type Purpose } from '@hub/kernel';
import type { Principal } from '@hub/security';
import {
  type AccessGranted, agreementList, type DisclosureChannel, DisclosureLogRepository, evaluateAccess,
} from '@hub/sharing';
import { HubRuntime } from '../runtime/hub-runtime';

/** What one reader may see for one purpose today: deny by default, per provider and event type. */
export interface ReadAuthorization {
  readonly recipient: string;
  readonly purpose: Purpose;
  readonly on: LocalDate;
  /** Some clause lets this recipient see person-level rows for this purpose. */
  readonly personLevel: boolean;
  /** The grant for data of `eventType` published by `provider`, or undefined (not shared). */
  grant(provider: string, eventType: string): AccessGranted | undefined;
}

/**
 * Every read names a purpose and is checked against the agreements; every disclosure of
 * person-level data is written to the hash-chained disclosure log.
 */
@Injectable()
export class ReadAccessService {
  readonly disclosures: DisclosureLogRepository;

  constructor(private readonly hub: HubRuntime) {
    this.disclosures = new DisclosureLogRepository(hub.database);
  }

  /**
   * Refuses (ACCESS.DENIED) when no active agreement makes the caller a recipient for the purpose at all.
   * `renewal`: a read that goes on (a stream) checking its grant again; a grant that still holds is not logged again.
   */
  async authorize(principal: Principal, purpose: Purpose, options: { renewal?: boolean } = {}): Promise<ReadAuthorization> {
    const directory = await this.hub.directories.current();
    const agreements = agreementList(directory);
    const on = londonDateOf(this.hub.clock.now());
    const recipient = principal.agencyId;
    const cache = new Map<string, AccessGranted | undefined>();
    const grant = (provider: string, eventType: string): AccessGranted | undefined => {
      const key = `${provider}\u0000${eventType}`;
      if (!cache.has(key)) {
        const decision = evaluateAccess(agreements, { recipient, purpose, provider, eventType, on });
        cache.set(key, decision.allowed ? decision : undefined);
      }
      return cache.get(key);
    };
    const clauses = agreements.filter((a) => a.status === 'active' && a.effectiveFrom <= on && on <= a.effectiveTo)
      .flatMap((a) => a.purposes.filter((p) => p.purpose === purpose && p.recipients.includes(recipient)));
    if (clauses.length === 0) {
      this.hub.logger.debug({ recipient, purpose, on, allowed: false }, 'read refused: no clause names the recipient');
      throw new DomainError('ACCESS.DENIED', `${recipient} is not a recipient for purpose ${purpose} under any active agreement on ${on}`);
    }
    const personLevel = clauses.some((c) => c.personLevel);
    if (!options.renewal) this.hub.logger.debug({ recipient, purpose, on, allowed: true, clauses: clauses.length, personLevel }, 'read authorized');
    return { recipient, purpose, on, personLevel, grant };
  }

  /**
   * The people among these who were erased (`hub erase`): their personal fields can no longer be
   * opened; reads say so (`personErased`) while still counting them.
   */
  async erasedAmong(personRefs: readonly (string | null)[]): Promise<ReadonlySet<string>> {
    const refs = [...new Set(personRefs.filter((ref): ref is string => ref !== null))];
    if (refs.length === 0) return new Set();
    const { rows } = await this.hub.database.query<{ person_ref: string }>(
      `SELECT DISTINCT data->>'personRef' AS person_ref FROM event_store.events
       WHERE type = 'hub.person.erased.v1' AND data->>'personRef' = ANY($1::text[])`, [refs],
    );
    return new Set(rows.map((row) => row.person_ref));
  }

  /** Logs a disclosure of person-level rows (pseudonymous refs and field names only). */
  async recordDisclosure(auth: ReadAuthorization, grant: AccessGranted, disclosure: { personRefs: readonly string[]; fields: readonly string[]; channel: DisclosureChannel }): Promise<void> {
    if (disclosure.personRefs.length === 0) return;
    this.hub.logger.debug({ recipient: auth.recipient, purpose: auth.purpose, clause: grant.clause, channel: disclosure.channel, people: new Set(disclosure.personRefs).size }, 'disclosure logged');
    await this.disclosures.append({
      at: this.hub.clock.now().toISOString(), recipient: auth.recipient, purpose: auth.purpose,
      agreementId: grant.agreementId, clause: grant.clause,
      personRefs: [...new Set(disclosure.personRefs)].sort(), fields: [...new Set(disclosure.fields)].sort(), channel: disclosure.channel,
    });
  }
}
