import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { IngestEventsCommand, type IngestInput, type IngestOutcome, parseNdjsonLine } from '@hub/ingest';
import { exitCodes, UsageError } from '../cli-error';
import { type StorageFlags, withHub } from '../hub-context';
import { printJson } from '../output';

const batchLines = 1000;

interface IngestError {
  readonly line: number;
  readonly id: string | null;
  readonly code: string;
  readonly message: string;
}

export function registerIngest(program: Command, flags: () => StorageFlags): void {
  program
    .command('ingest')
    .description('ingest an NDJSON file of CloudEvents (- for stdin); exits 1 if any event was rejected')
    .argument('<file>', 'NDJSON file, one CloudEvent per line')
    .action(async (file: string) => {
      const size = file === '-' ? undefined : fileSize(file);
      const summary = { accepted: 0, duplicates: 0, rejected: 0, errors: [] as IngestError[] };
      await withHub(flags(), async ({ commands, hub }) => {
        const progress = process.stderr.isTTY && size ? new SingleBar({ stream: process.stderr, format: 'ingest [{bar}] {percentage}% | {value}/{total} bytes | {events} events' }) : undefined;
        progress?.start(size!, 0, { events: 0 });
        let bytes = 0;
        let lineNo = 0;
        let batch: { line: number; input: IngestInput }[] = [];
        const flush = async (): Promise<void> => {
          if (batch.length === 0) return;
          const outcomes = await commands.execute(new IngestEventsCommand(batch.map((item) => item.input), { channel: 'cli' }));
          hub.logger.debug(batchCounts(outcomes), 'ingest batch stored');
          tally(summary, batch, outcomes);
          batch = [];
          progress?.update(bytes, { events: summary.accepted + summary.duplicates + summary.rejected });
        };
        const lines = createInterface({ input: file === '-' ? process.stdin : createReadStream(file), crlfDelay: Infinity });
        for await (const line of lines) {
          lineNo += 1;
          bytes += Buffer.byteLength(line) + 1;
          if (line.trim() === '') continue;
          batch.push({ line: lineNo, input: parseNdjsonLine(line) });
          if (batch.length >= batchLines) await flush();
        }
        await flush();
        progress?.stop();
      });
      printJson(summary);
      if (summary.rejected > 0) process.exitCode = exitCodes.rejected;
    });
}

function tally(summary: { accepted: number; duplicates: number; rejected: number; errors: IngestError[] }, batch: readonly { line: number }[], outcomes: readonly IngestOutcome[]): void {
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'accepted') summary.accepted++;
    else if (outcome.status === 'duplicate') summary.duplicates++;
    else {
      summary.rejected++;
      summary.errors.push({ line: batch[i]!.line, id: outcome.id, code: outcome.code, message: outcome.message });
    }
  });
}

/** What a log line may say about a batch: counts and rejection codes, never the events. */
function batchCounts(outcomes: readonly IngestOutcome[]): { events: number; accepted: number; duplicates: number; rejected: number; rejectionCodes: string[] } {
  const count = (status: IngestOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  const rejectionCodes = [...new Set(outcomes.flatMap((o) => (o.status === 'rejected' ? [o.code] : [])))].sort();
  return { events: outcomes.length, accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected'), rejectionCodes };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (error) {
    throw new UsageError(`<file>: cannot read ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
