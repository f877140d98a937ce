import 'reflect-metadata';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { BenchContext, type BenchFigure } from './bench-context';
import { alertLatency } from './benchmarks/alert-latency.bench';
import { continuityReport } from './benchmarks/continuity-report.bench';
import { ingestVersusRawInsert } from './benchmarks/ingest-vs-raw.bench';
import { httpIngest } from './benchmarks/http-ingest.bench';
import { kafkaIngest } from './benchmarks/kafka-ingest.bench';
import { linkage } from './benchmarks/linkage.bench';
import { liveCatchUp } from './benchmarks/live-catchup.bench';
import { rebuildAndMemory } from './benchmarks/rebuild.bench';
import { embeddedStartup } from './benchmarks/startup.bench';

interface StoredResult {
  readonly benchmark: string;
  readonly figures: BenchFigure[];
  readonly seconds: number;
  readonly ranAt?: string;
}

interface Benchmark {
  readonly name: string;
  run(context: BenchContext): Promise<BenchFigure[]>;
}

/** Every benchmark, in one run, on one PostgreSQL: compare ratios, not absolute figures, on noisy machines. */
const benchmarks: Benchmark[] = [
  { name: 'ingest', run: (context) => ingestVersusRawInsert(context, Number(process.env.BENCH_INGEST_EVENTS ?? 200_000)) },
  { name: 'http-ingest', run: (context) => httpIngest(context, Number(process.env.BENCH_HTTP_EVENTS ?? 60_000)) },
  { name: 'kafka', run: (context) => kafkaIngest(context, Number(process.env.BENCH_KAFKA_EVENTS ?? 50_000), Number(process.env.BENCH_RECEIPT_EVENTS ?? 20_000)) },
  { name: 'alert-latency', run: (context) => alertLatency(context, Number(process.env.BENCH_ALERT_SAMPLES ?? 300)) },
  { name: 'continuity-report', run: (context) => continuityReport(context, Number(process.env.BENCH_CONTINUITY_RELEASES ?? 30_000), Number(process.env.BENCH_CONTINUITY_SAMPLES ?? 200)) },
  { name: 'rebuild', run: (context) => rebuildAndMemory(context, Number(process.env.BENCH_REBUILD_EVENTS ?? 200_000)) },
  { name: 'linkage', run: (context) => linkage(context, Number(process.env.BENCH_LINKAGE_PEOPLE ?? 100_000), Number(process.env.BENCH_LINKAGE_INCREMENTAL_PEOPLE ?? 3_000), Number(process.env.BENCH_LINKAGE_SAMPLES ?? 1000)) },
  { name: 'live', run: (context) => liveCatchUp(context, Number(process.env.BENCH_LIVE_EVENTS ?? 20_000)) },
  { name: 'startup', run: () => embeddedStartup(Number(process.env.BENCH_STARTUP_RUNS ?? 5)) },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const context = await BenchContext.open();
  const results: { benchmark: string; figures: BenchFigure[]; seconds: number }[] = [];
  try {
    for (const benchmark of benchmarks.filter((b) => only.length === 0 || only.includes(b.name))) {
      const started = Date.now();
      process.stderr.write(`bench: ${benchmark.name}...\n`);
      const figures = await benchmark.run(context);
      results.push({ benchmark: benchmark.name, figures, seconds: (Date.now() - started) / 1000 });
      for (const figure of figures) process.stderr.write(`  ${formatFigure(figure)}\n`);
    }
  } finally {
    await context.close();
  }
  const out = join(__dirname, '..', '..', '..', 'bench', 'results.json');
  // A run of some benchmarks keeps the others' last figures (each result says when it ran).
  const ranAt = new Date().toISOString();
  const previous = await readFile(out, 'utf8').then((text) => (JSON.parse(text) as { results?: StoredResult[] }).results ?? [], () => []);
  const fresh: StoredResult[] = results.map((result) => ({ ...result, ranAt }));
  const report = {
    ranAt,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    database: context.serverLabel,
    results: [
      ...fresh,
      ...previous.filter((old) => !fresh.some((r) => r.benchmark === old.benchmark) && benchmarks.some((b) => b.name === old.benchmark)),
    ].sort((a, b) => benchmarks.findIndex((x) => x.name === a.benchmark) - benchmarks.findIndex((x) => x.name === b.benchmark)),
  };
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(markdownTable(report.results.flatMap((r) => r.figures)));
  process.stderr.write(`bench: written to ${out}\n`);
}

function formatFigure(figure: BenchFigure): string {
  const target = figure.target ? ` (target ${figure.target}: ${figure.met ? 'met' : 'MISSED'})` : '';
  return `${figure.name}: ${figure.value ?? 'n/a'} ${figure.unit}${target}${figure.note ? ` [${figure.note}]` : ''}`;
}

function markdownTable(figures: readonly BenchFigure[]): string {
  const rows = figures.map((f) => `| ${f.name} | ${f.value ?? 'n/a'} ${f.unit} | ${f.target ?? ''} | ${f.target ? (f.met ? 'met' : 'missed') : ''} |`);
  return ['| measure | result | target | |', '|---|---|---|---|', ...rows, ''].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
