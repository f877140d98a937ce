/**
 * Calendar dates as ISO strings (`YYYY-MM-DD`), computed in UTC so that date arithmetic never
 * depends on the machine's zone. Instants are turned into Europe/London dates explicitly.
 */
export type LocalDate = string;

const msPerDay = 86_400_000;

export function parseLocalDate(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
}

export function formatLocalDate(epochMs: number): LocalDate {
  return new Date(epochMs).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return formatLocalDate(parseLocalDate(date) + days * msPerDay);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((parseLocalDate(to) - parseLocalDate(from)) / msPerDay);
}

const isoDateShape = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True when the string is a real calendar date (no 2025-02-30). Arithmetic rather than a round trip
 * through Date: every event's contract check calls this several times.
 */
export function isRealDate(date: string): boolean {
  const match = isoDateShape.exec(date);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  // Years below 100 are refused: Date.UTC reads them as 1900-1999, so parseLocalDate could not represent them.
  return year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const londonDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit',
});

/** The calendar date in Europe/London at an instant. */
export function londonDateOf(instant: Date): LocalDate {
  return londonDateFormat.format(instant);
}

/**
 * Completed years on `on` for a person born on `dateOfBirth`. A 29 February birthday falls on
 * 1 March in other years (SPEC section 5).
 */
export function ageInCompletedYears(dateOfBirth: LocalDate, on: LocalDate): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  let age = oy - by;
  const isLeapDay = bm === 2 && bd === 29;
  const onIsLeapYear = (oy % 4 === 0 && oy % 100 !== 0) || oy % 400 === 0;
  const [birthdayMonth, birthdayDay] = isLeapDay && !onIsLeapYear ? [3, 1] : [bm, bd];
  if (om < birthdayMonth || (om === birthdayMonth && od < birthdayDay)) age -= 1;
  return age;
}

export function monthOf(date: LocalDate): string {
  return date.slice(0, 7);
}
