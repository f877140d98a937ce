import { addDays, parseLocalDate, type LocalDate } from '@hub/kernel';

export const msPerDay = 86_400_000;
const cachedDaysBefore = 400;
const cachedDaysAfter = 400;

/**
 * Dates of the simulation window, by day number (0 = `from`). Formatting dates and instants is
 * on the hot path (a few per event), so the day strings are computed once.
 */
export class WindowCalendar {
  readonly fromMs: number;
  private readonly dates: LocalDate[] = [];

  constructor(readonly from: LocalDate, readonly windowDays: number) {
    this.fromMs = parseLocalDate(from);
    for (let day = -cachedDaysBefore; day < windowDays + cachedDaysAfter; day++) this.dates.push(addDays(from, day));
  }

  get windowEndMs(): number {
    return this.fromMs + this.windowDays * msPerDay;
  }

  /** The calendar date of a window day. */
  dateOf(day: number): LocalDate {
    return this.dates[day + cachedDaysBefore] ?? addDays(this.from, day);
  }

  startOf(day: number): number {
    return this.fromMs + day * msPerDay;
  }

  /** RFC 3339 in UTC, whole seconds: `2025-03-03T09:00:00Z`. */
  instantOf(epochMs: number): string {
    const sinceFrom = epochMs - this.fromMs;
    const day = Math.floor(sinceFrom / msPerDay);
    const date = this.dates[day + cachedDaysBefore];
    if (date === undefined) return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
    const seconds = Math.floor((sinceFrom - day * msPerDay) / 1000);
    return `${date}T${twoDigits[Math.floor(seconds / 3600)]}:${twoDigits[Math.floor(seconds / 60) % 60]}:${twoDigits[seconds % 60]}Z`;
  }
}

const twoDigits = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
