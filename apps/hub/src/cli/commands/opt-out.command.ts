import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseOptOutFile } from '@hub/sharing';
import { ImportOptOutCommand, optOutStreamId } from '../../use-cases/opt-out/import-opt-out.command';
import { exitCodes, UsageError } from '../cli-error';
import { type StorageFlags, withHub } from '../hub-context';
import { printJson } from '../output';
import { cliOperator } from './security.command';

/** `hub opt-out import FILE`, `hub opt-out history`: the National Data Opt-out register (beyond SPEC section 8). */
export function registerOptOut(program: Command, flags: () => StorageFlags): void {
  const optOut = program.command('opt-out').description('the National Data Opt-out register: NHS data of listed people is left out of aggregate reporting');
  optOut.command('import')
    .description('replace the register with FILE (one NHS number per line, # comments, blank lines skipped); a file with a bad line changes nothing and exits 1')
    .argument('<file>', 'the full list, e.g. NHS Digital\'s MESH extract')
    .action(async (file: string) => {
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`FILE: cannot read ${JSON.stringify(file)}: ${error.code ?? error.message}`);
      });
      const parsed = parseOptOutFile(text);
      if (parsed.errors.length > 0) {
        printJson({ recorded: false, lines: parsed.lines, rejected: parsed.errors.length, errors: parsed.errors });
        process.exitCode = exitCodes.rejected;
        return;
      }
      const result = await withHub(flags(), ({ commands }) => commands.execute(new ImportOptOutCommand(parsed.nhsNumbers, cliOperator())));
      printJson({ ...result, lines: parsed.lines });
    });
  optOut.command('history')
    .description('every replacement of the register: when it applies from, who imported it, how many numbers (never which)')
    .action(async () => {
      const events = await withHub(flags(), ({ hub }) => hub.store.readStream(optOutStreamId));
      printJson(events.map((event) => ({ eventId: event.eventId, listedFrom: new Date(event.recordedAt).toISOString(), ...event.data })));
    });
}
