import type { Command } from 'commander';
import { hubProjections } from '../../runtime/hub-projections';
import { ProjectionEngine } from '../../runtime/projection-engine';
import { SubjectAccessCommand, type SubjectAccessLookup } from '../../use-cases/subject-access/subject-access.command';
import { UsageError } from '../cli-error';
import { type StorageFlags, withHub } from '../hub-context';
import { printJson } from '../output';
import { cliOperator } from './security.command';

interface LookupOptions { nhsNumber?: string; nomis?: string; crn?: string; pnc?: string; person?: string }

/** `hub subject-access`: everything the hub holds on a person, as JSON, recorded in the disclosure log (beyond SPEC section 8). */
export function registerSubjectAccess(program: Command, flags: () => StorageFlags): void {
  program.command('subject-access')
    .description('export everything the hub holds on a person, with its provenance (UK GDPR Art 15); the export is recorded in the disclosure log')
    .option('--nhs-number <n>', 'the person\'s NHS number')
    .option('--nomis <id>', 'a NOMIS number (prison)')
    .option('--crn <crn>', 'a Delius CRN (probation)')
    .option('--pnc <id>', 'a PNC ID (police)')
    .option('--person <ref>', 'the personRef')
    .action(async (options: LookupOptions) => {
      const lookup = lookupOf(options);
      printJson(await withHub(flags(), async ({ hub, commands }) => {
        await new ProjectionEngine(hub, hubProjections(hub)).catchUp();
        return commands.execute(new SubjectAccessCommand(lookup, cliOperator()));
      }));
    });
}

function lookupOf(options: LookupOptions): SubjectAccessLookup {
  const given: SubjectAccessLookup[] = [
    ...(options.nhsNumber !== undefined ? [{ kind: 'nhsNumber', value: options.nhsNumber } as const] : []),
    ...(options.nomis !== undefined ? [{ kind: 'nomisId', value: options.nomis } as const] : []),
    ...(options.crn !== undefined ? [{ kind: 'deliusCrn', value: options.crn } as const] : []),
    ...(options.pnc !== undefined ? [{ kind: 'pncId', value: options.pnc } as const] : []),
    ...(options.person !== undefined ? [{ kind: 'person', personRef: options.person } as const] : []),
  ];
  if (given.length !== 1) throw new UsageError('give exactly one of --nhs-number, --nomis, --crn, --pnc or --person');
  return given[0]!;
}
