import { assertNever } from '@hub/kernel';
import type { Random } from '../random/random';
import type { SimulationContext } from '../simulation-context';
import { enterCustody, planRelease, releaseFromCustody } from './custody';
import { liveInCommunity } from './community';
import { recordInquest } from './death';
import type { Fact, FactSink } from './facts';
import { custody as custodyParameters, probation, release, type Range } from './parameters';
import type { PersonProfile } from './person-profile';
import type { AgendaItem, StoryState } from './story-state';
import { endSupervision, startSupervision } from './supervision';
import { startPlannedTreatment, endTreatment } from './treatment';

/**
 * One person's story as a day-by-day simulation. It is lazy: `step()` simulates one day, or
 * jumps over quiet days, so a caller can pull events without the story running far ahead.
 * After a step, every fact dated before `nextDay` has been handed to the sink.
 */
export class PersonStory {
  readonly state: StoryState = {
    status: 'community', custody: undefined, treatment: undefined, plannedStartToken: undefined,
    supervision: undefined, lastReleaseDay: undefined, lastOverdoseDay: undefined,
  };
  readonly localAuthority: string;
  private readonly agenda: AgendaItem[] = [];
  private dayToProcess = 0;
  private today = 0;
  private lastId = 0;

  constructor(
    readonly profile: PersonProfile,
    readonly random: Random,
    readonly context: SimulationContext,
    private readonly sink: FactSink,
  ) {
    this.localAuthority = context.area.localAuthorityCodes[profile.localAuthorityIndex]!;
    this.setUp();
  }

  /** The next window day to simulate; nothing dated earlier remains unrecorded. */
  get nextDay(): number {
    return this.dayToProcess;
  }

  get finished(): boolean {
    return this.dayToProcess >= this.context.windowDays;
  }

  step(): void {
    const today = this.dayToProcess;
    this.today = today;
    while (this.agenda.length > 0 && this.agenda[0]!.day <= today) this.handle(this.agenda.shift()!);
    const nextPlanned = Math.min(this.agenda[0]?.day ?? this.context.windowDays, this.context.windowDays);
    this.dayToProcess = this.state.status === 'community'
      ? liveInCommunity(this, today, nextPlanned)
      : Math.max(today + 1, nextPlanned);
  }

  /** Moves the simulated day forward over quiet days (facts are recorded as of this day). */
  moveTo(day: number): void {
    this.today = day;
  }

  schedule(item: AgendaItem): void {
    let at = this.agenda.length;
    while (at > 0 && this.agenda[at - 1]!.day > item.day) at--;
    this.agenda.splice(at, 0, item);
  }

  record(fact: Fact): void {
    this.sink.record(fact, this.today);
  }

  newId(): number {
    return ++this.lastId;
  }

  between(range: Range): number {
    return this.random.int(range[0], range[1]);
  }

  private setUp(): void {
    const { profile, context } = this;
    if (profile.firstReleaseDay !== undefined && context.area.prisons.length > 0) {
      const releaseDay = profile.firstReleaseDay;
      const receivedDay = releaseDay - this.between(release.daysFromReceptionToRelease);
      if (this.random.chance(release.receptionInWindowShare) && receivedDay >= 0) {
        const reason = this.random.chance(0.4) ? 'remand' : 'sentenced';
        const releaseType = this.random.weighted(custodyParameters.releaseTypeAfter[reason]);
        this.schedule({ kind: 'custody-start', day: receivedDay, reason, releaseDay, releaseType });
      } else {
        enterCustody(this, -1, 'sentenced', releaseDay, this.random.weighted(release.typeWeights));
      }
    } else if (profile.segment === 'community-offender' && this.random.chance(probation.communityOrderShareOfOffenders)) {
      this.schedule({
        kind: 'supervision-start',
        day: this.random.int(0, context.windowDays - 1),
        requirement: this.random.weighted(probation.orderRequirementWeights),
        drugRehabilitationRequirement: this.random.chance(probation.drugRehabilitationRequirementShare),
      });
    }
  }

  private handle(item: AgendaItem): void {
    const { state } = this;
    const today = this.today;
    switch (item.kind) {
      case 'custody-start':
        if (state.status === 'community') enterCustody(this, today, item.reason, item.releaseDay, item.releaseType);
        return;
      case 'plan-release':
        if (state.custody?.id === item.custodyId) planRelease(this, today, state.custody);
        return;
      case 'release':
        if (state.custody?.id === item.custodyId && state.status === 'custody') releaseFromCustody(this, today, state.custody);
        return;
      case 'treatment-start':
        startPlannedTreatment(this, today, item);
        return;
      case 'treatment-end':
        if (state.treatment?.id === item.episodeId) endTreatment(this, today, item.reason);
        return;
      case 'supervision-start':
        if (state.status === 'community' && !state.supervision) {
          startSupervision(this, today, item.requirement, item.drugRehabilitationRequirement);
        }
        return;
      case 'supervision-end':
        if (state.supervision?.id === item.supervisionId) endSupervision(this, today, item.reason);
        return;
      case 'inquest':
        recordInquest(this, today, item.drugRelated, item.substances);
        return;
      default:
        assertNever(item, 'agenda item');
    }
  }
}
