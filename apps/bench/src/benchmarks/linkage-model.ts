import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  candidatePairs, comparable, linkRecords, type LinkageRecord, type LinkageResult, termFrequenciesOf, trainModel,
} from '@hub/identity';
import type { AreaConfig, PersonBlock } from '@hub/kernel';
import { defaultNoise, simulateWithTruth } from '@hub/simulation';

/** The agencies' records of simulated people with noise (one per agency subject), and who each truly is. */
export function simulatedRecords(people: number, seed: string): { records: LinkageRecord[]; truePersonOf: Map<string, string> } {
  const area = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'deploy', 'demo', 'area.json'), 'utf8')) as AreaConfig;
  const simulated = simulateWithTruth({ area, people, seed, from: '2025-01-01', months: 12, noise: defaultNoise });
  const blocks = new Map<string, PersonBlock>();
  for (const event of simulated.events) {
    const person = (event.data as { person?: PersonBlock }).person;
    const id = `${event.source}|${event.subject}`;
    if (person && !blocks.has(id)) blocks.set(id, person);
  }
  const truePersonOf = new Map<string, string>();
  for (const entry of simulated.groundTruth()) truePersonOf.set(`${entry.source}|${entry.subject}`, entry.personId);
  const records = [...blocks].map(([id, person]) => ({ id, person: comparable(person) }));
  return { records, truePersonOf };
}

export interface PairwiseAccuracy {
  readonly precision: number;
  readonly recall: number;
  readonly predictedPairs: number;
  readonly truePairs: number;
}

/** Pairwise precision and recall of the persons found (clusters of automatic links) against the truth. */
export function pairwiseAccuracy(clusterOf: ReadonlyMap<string, string>, truePersonOf: ReadonlyMap<string, string>): PairwiseAccuracy {
  const pairsIn = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0);
  const count = (key: (id: string) => string) => {
    const counts = new Map<string, number>();
    for (const id of clusterOf.keys()) counts.set(key(id), (counts.get(key(id)) ?? 0) + 1);
    return counts;
  };
  const predictedPairs = pairsIn(count((id) => clusterOf.get(id)!));
  const truePairs = pairsIn(count((id) => truePersonOf.get(id) ?? `?${id}`));
  const both = pairsIn(count((id) => `${clusterOf.get(id)}\u001f${truePersonOf.get(id) ?? `?${id}`}`));
  return { precision: predictedPairs === 0 ? 1 : both / predictedPairs, recall: truePairs === 0 ? 1 : both / truePairs, predictedPairs, truePairs };
}

export interface ModelRun {
  readonly records: number;
  readonly people: number;
  readonly comparisons: number;
  readonly emIterations: number;
  readonly accuracy: PairwiseAccuracy;
  readonly reviewPairs: number;
  readonly linkingSeconds: number;
  readonly result: LinkageResult;
}

/** Blocking, training (u from random pairs, m by EM), scoring and deciding, all in memory: the timed part. */
export function runModel(people: number, seed: string): ModelRun {
  const { records, truePersonOf } = simulatedRecords(people, seed);
  const started = performance.now();
  const pairs = candidatePairs(records);
  const trained = trainModel(records);
  const result = linkRecords(records, trained.model, { pairs, termFrequency: termFrequenciesOf(records.map((r) => r.person)) });
  const linkingSeconds = (performance.now() - started) / 1000;
  return {
    records: records.length, people, comparisons: pairs.length, emIterations: Math.max(...trained.sessions.map((s) => s.iterations)),
    accuracy: pairwiseAccuracy(result.clusterOf, truePersonOf), reviewPairs: result.reviews.length, linkingSeconds, result,
  };
}
