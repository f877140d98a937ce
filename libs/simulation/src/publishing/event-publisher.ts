import { addDays, isRealDate, type Agency, type PublishingKind } from '@hub/kernel';
import { agencyView, type AgencyView } from '../identity/agency-view';
import type { PersonIdentity } from '../identity/person-identity';
import type { Random } from '../random/random';
import { msPerDay, type SimulationContext } from '../simulation-context';
import type { Fact, FactSink } from '../story/facts';
import { death, recording, type Range } from '../story/parameters';
import type { Outbox } from '../stream/outbox';
import { draftOf, type Draft } from './fact-drafts';

const retractionReason = 'entered in error: duplicate record';

/**
 * Writes a person's facts down as each agency would: its own subject and person block, a record
 * id, a publication time (often the same day, sometimes late), and now and then a record first
 * published wrong and corrected, a duplicate later retracted, or a death reported twice.
 */
export class EventPublisher implements FactSink {
  /** The agencies that know the person; a short list (a Map per person costs more memory at 100k people). */
  private readonly views: { readonly agencyId: string; readonly view: AgencyView; published: boolean }[] = [];
  private records = 0;

  constructor(
    private readonly context: SimulationContext,
    private readonly identity: PersonIdentity,
    private readonly random: Random,
    private readonly outbox: Outbox,
  ) {}

  /** Every (source, subject) this person has been published under so far. */
  subjects(): AgencyView[] {
    return this.views.filter((entry) => entry.published).map((entry) => entry.view);
  }

  record(fact: Fact, today: number): void {
    const draft = draftOf(fact, this.context);
    if (!draft) return;
    const view = this.viewOf(draft.agency);
    const timeMs = this.publicationTime(draft, today);
    const recordId = this.newRecordId(draft.code, view);
    const wrongFields = this.random.chance(recording.correctionShare) ? this.withError(draft) : undefined;
    if (wrongFields) {
      this.emit(view, draft.type, timeMs, recordId, wrongFields);
      this.emit(view, draft.type, timeMs + this.between(recording.daysToCorrection) * msPerDay, recordId, draft.fields);
    } else {
      this.emit(view, draft.type, timeMs, recordId, draft.fields);
    }
    if (this.random.chance(recording.retractedDuplicateShare)) this.duplicateThenRetract(draft, view, timeMs);
    if (fact.type === 'death' && this.random.chance(death.secondReportShare)) {
      const secondId = this.newRecordId(draft.code, view);
      this.emit(view, draft.type, timeMs + this.random.int(1, 5 * 24 * 3600) * 1000, secondId, draft.fields);
    }
  }

  private viewOf(agency: Agency): AgencyView {
    let entry = this.views.find((candidate) => candidate.agencyId === agency.id);
    if (!entry) {
      entry = { agencyId: agency.id, view: agencyView(this.context, this.identity, agency), published: false };
      this.views.push(entry);
    }
    return entry.view;
  }

  private publicationTime(draft: Draft, today: number): number {
    const lateDays = this.between(this.random.weighted(recording.lateness[draft.agency.kind as PublishingKind]));
    const officeSeconds = () => this.random.int(8 * 3600, 18 * 3600);
    const afterSeconds = draft.isInstant ? this.random.int(600, 6 * 3600) : officeSeconds();
    const timeMs = draft.businessMs + lateDays * msPerDay + afterSeconds * 1000;
    // Never publish before the simulated day: the story has already released everything earlier.
    const earliest = this.context.fromMs + today * msPerDay;
    return timeMs >= earliest ? timeMs : earliest + officeSeconds() * 1000;
  }

  /** The first, wrong version of a record: a date a few days early, a flag flipped, another local authority. */
  private withError(draft: Draft): Record<string, unknown> | undefined {
    const field = draft.correctable;
    if (!field) return undefined;
    const value = draft.fields[field];
    if (typeof value === 'boolean') return { ...draft.fields, [field]: !value };
    if (field === 'localAuthority') {
      const others = this.context.area.localAuthorityCodes.filter((code) => code !== value);
      return others.length > 0 ? { ...draft.fields, [field]: this.random.pick(others) } : undefined;
    }
    if (typeof value === 'string' && isRealDate(value)) return { ...draft.fields, [field]: addDays(value, -this.random.int(1, 3)) };
    return undefined;
  }

  private duplicateThenRetract(draft: Draft, view: AgencyView, timeMs: number): void {
    const duplicateId = this.newRecordId(draft.code, view);
    const duplicateMs = timeMs + this.random.int(60, 2 * 3600) * 1000;
    this.emit(view, draft.type, duplicateMs, duplicateId, draft.fields);
    const retractionType = `${draft.agency.kind}.record.retracted.v1`;
    this.emit(view, retractionType, duplicateMs + this.between(recording.daysToRetraction) * msPerDay, this.newRecordId('RTR', view), {
      retractedType: draft.type, retractedRecordId: duplicateId, reason: retractionReason,
    });
  }

  private emit(view: AgencyView, type: string, timeMs: number, recordId: string, fields: Record<string, unknown>): void {
    if (this.outbox.push({ timeMs, view, type, recordId, fields })) {
      this.views.find((entry) => entry.view === view)!.published = true;
    }
  }

  private newRecordId(code: string, view: AgencyView): string {
    return `${code}-${view.subject.replace(/[^A-Za-z0-9]/g, '')}-${++this.records}`;
  }

  private between(range: Range): number {
    return this.random.int(range[0], range[1]);
  }
}
