import { addDays, daysBetween, isRealDate } from '@hub/kernel';
import { IdentifierFactory } from './identity/identifiers';
import type { NoiseOptions, SimulationOptions } from './simulation-options';
import { AreaDirectory } from './story/area-directory';
import { planClusters, type ClusterPlan } from './story/clusters';

import { WindowCalendar } from './window-calendar';

export { msPerDay } from './window-calendar';

/** Everything a run shares between people: computed once from the options, read-only afterwards. */
export interface SimulationContext {
  readonly seed: string;
  readonly people: number;
  readonly from: string;
  readonly fromMs: number;
  readonly windowDays: number;
  readonly calendar: WindowCalendar;
  readonly windowEndMs: number;
  readonly area: AreaDirectory;
  readonly identifiers: IdentifierFactory;
  readonly noise: NoiseOptions | undefined;
  /** Cluster plans by window day. */
  readonly clustersByDay: ReadonlyMap<number, readonly ClusterPlan[]>;
  /** The days with a cluster, ascending. */
  readonly clusterDays: readonly number[];
}

export function createContext(options: SimulationOptions): SimulationContext {
  const { people, months, from } = options;
  if (!Number.isSafeInteger(people) || people < 0) throw new RangeError(`people must be a whole number >= 0, got ${people}`);
  if (!Number.isSafeInteger(months) || months < 1) throw new RangeError(`months must be a whole number >= 1, got ${months}`);
  if (!isRealDate(from)) throw new RangeError(`from must be a real date YYYY-MM-DD, got ${JSON.stringify(from)}`);
  validateNoise(options.noise);
  const seed = String(options.seed);
  const area = new AreaDirectory(options.area);
  const windowDays = daysBetween(from, addMonths(from, months));
  const calendar = new WindowCalendar(from, windowDays);
  const clustersByDay = planClusters(seed, windowDays, area.localAuthorityCodes.length, people);
  const fromMs = calendar.fromMs;
  return {
    seed,
    people,
    from,
    fromMs,
    windowDays,
    calendar,
    windowEndMs: calendar.windowEndMs,
    area,
    identifiers: new IdentifierFactory(seed, people),
    noise: options.noise,
    clustersByDay,
    clusterDays: [...clustersByDay.keys()].sort((a, b) => a - b),
  };
}

/** The same day of the month `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return addDays(target.toISOString().slice(0, 10), Math.min(day, lastDay) - 1);
}

function validateNoise(noise: NoiseOptions | undefined): void {
  for (const [name, rate] of Object.entries(noise ?? {})) {
    if (rate !== undefined && !(typeof rate === 'number' && rate >= 0 && rate <= 1)) {
      throw new RangeError(`noise.${name} must be a rate between 0 and 1, got ${JSON.stringify(rate)}`);
    }
  }
}
