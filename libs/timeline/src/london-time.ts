import { type LocalDate, londonDateOf, parseLocalDate } from '@hub/kernel';

const hourMs = 3_600_000;

/** The instant a calendar day begins in Europe/London (00:00 GMT, or 23:00 UTC the day before in summer time). */
export function londonStartOf(date: LocalDate): string {
  const utcMidnight = parseLocalDate(date);
  const anHourEarlier = new Date(utcMidnight - hourMs);
  return (londonDateOf(anHourEarlier) === date ? anHourEarlier : new Date(utcMidnight)).toISOString();
}

export function addHours(instant: string, hours: number): string {
  return new Date(Date.parse(instant) + hours * hourMs).toISOString();
}
