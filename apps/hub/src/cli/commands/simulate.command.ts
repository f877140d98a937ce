import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type AreaConfig, isRealDate } from '@hub/kernel';
import { type NoiseOptions, noiseModels, simulate, simulateWithTruth, toNdjsonLine } from '@hub/simulation';
import { UsageError } from '../cli-error';
import { readJsonFile } from './init.command';

export const demoAreaFile = join(__dirname, '..', '..', '..', '..', '..', 'deploy', 'demo', 'area.json');

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('write realistic synthetic events for the area as NDJSON on stdout (the same seed gives the same file)')
    .requiredOption('--people <n>', 'how many people', positiveInteger('--people'))
    .requiredOption('--seed <seed>', 'seed for the generator')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD', realDate('--from'))
    .requiredOption('--months <m>', 'how many months', positiveInteger('--months'))
    .option('--config <file>', 'area configuration (default: the demo area)', demoAreaFile)
    .option('--noise <model>', `noise in the agencies' person blocks, for linkage benchmarks (${Object.keys(noiseModels).join(', ')}); absent: clean identifiers`, noiseModel)
    .option('--truth <file>', 'also write the ground truth, one JSON line per agency subject: { source, subject, personId }')
    .action(async (options: { people: number; seed: string; from: string; months: number; config: string; noise?: NoiseOptions; truth?: string }) => {
      const area = (await readJsonFile(options.config, '--config')) as AreaConfig;
      const simulation = { area, people: options.people, seed: options.seed, from: options.from, months: options.months, ...(options.noise ? { noise: options.noise } : {}) };
      if (options.truth) await writeTruth(options.truth, simulateWithTruth(simulation).groundTruth());
      let buffer = '';
      for (const event of simulate(simulation)) {
        buffer += toNdjsonLine(event);
        if (buffer.length > 1 << 16) {
          if (!process.stdout.write(buffer)) await once(process.stdout, 'drain');
          buffer = '';
        }
      }
      process.stdout.write(buffer);
    });
}

function noiseModel(value: string): NoiseOptions {
  const model = noiseModels[value];
  if (!model) throw new UsageError(`--noise: ${JSON.stringify(value)} is not a noise model (one of ${Object.keys(noiseModels).join(', ')})`);
  return model;
}

/** The ground truth to its own file (never mixed into the events on stdout). */
async function writeTruth(file: string, entries: Iterable<{ source: string; subject: string; personId: string }>): Promise<void> {
  const out = createWriteStream(file);
  const opened = new Promise<void>((resolve, reject) => out.once('open', () => resolve()).once('error', reject));
  await opened.catch((error: Error) => {
    throw new UsageError(`--truth: cannot write ${JSON.stringify(file)}: ${error.message}`);
  });
  for (const entry of entries) {
    if (!out.write(`${JSON.stringify({ source: entry.source, subject: entry.subject, personId: entry.personId })}\n`)) await once(out, 'drain');
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

export function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a positive whole number`);
    return n;
  };
}

export function realDate(flag: string): (value: string) => string {
  return (value) => {
    if (!isRealDate(value)) throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a date (YYYY-MM-DD)`);
    return value;
  };
}
