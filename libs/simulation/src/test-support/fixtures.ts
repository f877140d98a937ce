import type { AreaConfig, CloudEvent } from '@hub/kernel';
import type { SimulationOptions } from '../simulation-options';
import { simulateWithTruth } from '../simulate';
import areaJson from './northshire-area.json';

/** The demo area of `shared/scenarios/area.json`. */
export const northshire = areaJson as unknown as AreaConfig;

export function optionsFor(overrides: Partial<SimulationOptions> = {}): SimulationOptions {
  return { area: northshire, people: 2000, seed: 'unit', from: '2025-01-01', months: 12, ...overrides };
}

export interface SimulatedRun {
  readonly events: readonly CloudEvent[];
  /** `source|subject` -> person id. */
  readonly personOf: ReadonlyMap<string, string>;
}

const runs = new Map<string, SimulatedRun>();

/** Runs (once per options within a test file) and keeps the events and ground truth. */
export function run(options: SimulationOptions): SimulatedRun {
  const key = JSON.stringify({ ...options, area: options.area.area.id });
  let cached = runs.get(key);
  if (!cached) {
    const simulation = simulateWithTruth(options);
    const personOf = new Map<string, string>();
    for (const entry of simulation.groundTruth()) personOf.set(subjectKey(entry), entry.personId);
    cached = { events: [...simulation.events], personOf };
    runs.set(key, cached);
  }
  return cached;
}

export function subjectKey(event: { source: string; subject: string }): string {
  return `${event.source}|${event.subject}`;
}

export const dayMs = 86_400_000;

/** Whole days from one date (or instant's date) to another. */
export function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / dayMs);
}

export type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function dataOf(event: CloudEvent): Data {
  return event.data as Data;
}
