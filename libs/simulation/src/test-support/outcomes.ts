import { ageInCompletedYears, type CloudEvent } from '@hub/kernel';
import { dataOf, daysFrom, subjectKey } from './fixtures';

/** Current versions only: the latest of each (source, type, recordId), minus retracted records (SPEC section 3). */
export function currentRecords(events: readonly CloudEvent[]): CloudEvent[] {
  const latest = new Map<string, CloudEvent>();
  const retracted = new Set<string>();
  for (const event of events) {
    const data = dataOf(event);
    if (event.type.endsWith('.record.retracted.v1')) retracted.add(`${event.source}|${data['retractedType']}|${data['retractedRecordId']}`);
    else latest.set(`${event.source}|${event.type}|${data['recordId']}`, event);
  }
  return [...latest.entries()].filter(([key]) => !retracted.has(key)).map(([, event]) => event);
}

export function groupByPerson(events: readonly CloudEvent[], personOf: ReadonlyMap<string, string>): Map<string, CloudEvent[]> {
  const groups = new Map<string, CloudEvent[]>();
  for (const event of events) {
    const person = personOf.get(subjectKey(event));
    if (!person) throw new Error(`no ground truth for ${subjectKey(event)}`);
    groups.set(person, [...(groups.get(person) ?? []), event]);
  }
  return groups;
}

export interface Continuity {
  readonly cohort: number;
  readonly engaged: number;
  readonly excluded: number;
  readonly notEngaged: number;
}

/** SPEC section 5 computed on the true person links, for releases whose 21-day window closes inside the data. */
export function continuityOfCare(people: ReadonlyMap<string, CloudEvent[]>, lastDay: string): Continuity {
  let cohort = 0, engaged = 0, excluded = 0, notEngaged = 0;
  for (const events of people.values()) {
    const on = (type: string, field: string) => events.filter((e) => e.type === type).map((e) => dataOf(e)[field] as string);
    const starts = events.filter((e) => e.type === 'treatment.started.v1' && dataOf(e)['setting'] !== 'prison').map((e) => dataOf(e)['startedOn'] as string);
    const deaths = [...on('police.suspected-drug-death.reported.v1', 'diedOn'),
      ...events.filter((e) => e.type === 'treatment.discharged.v1' && dataOf(e)['reason'] === 'died').map((e) => dataOf(e)['dischargedOn'] as string)];
    const receptions = on('prison.reception.recorded.v1', 'receivedOn');
    for (const release of events.filter((e) => e.type === 'prison.release.recorded.v1').map(dataOf)) {
      const releasedOn = release['releasedOn'] as string;
      const dateOfBirth = release['person']['dateOfBirth'] as string | undefined;
      const adult = !dateOfBirth || ageInCompletedYears(dateOfBirth, releasedOn) >= 18;
      if (!release['treatmentNeed'] || !release['referral'] || !adult || ['transfer', 'deportation'].includes(release['releaseType'])) continue;
      if (daysFrom(releasedOn, lastDay) < 21) continue;
      cohort++;
      const within = (dates: string[], first: number) => dates.map((d) => daysFrom(releasedOn, d)).filter((d) => d >= first && d <= 21);
      const start = Math.min(...within(starts, 0));
      const stop = Math.min(...within(deaths, 0), ...within(receptions, 1));
      if (Number.isFinite(start) && start <= stop) engaged++;
      else if (Number.isFinite(stop)) excluded++;
      else notEngaged++;
    }
  }
  return { cohort, engaged, excluded, notEngaged };
}
