import { Option, type Command } from 'commander';
import { londonDateOf } from '@hub/kernel';
import { flatReportRows, parseReportRequest, reportColumns, reportCsv, reportDimensions } from '@hub/continuity';
import { continuityQueriesOf } from '../../use-cases/continuity/continuity-report.handler';
import { hubProjections } from '../../runtime/hub-projections';
import { ProjectionEngine } from '../../runtime/projection-engine';
import { reportOptOut } from '../../use-cases/opt-out/report-opt-out';
import { type StorageFlags, withHub } from '../hub-context';
import { printJson } from '../output';
import { formatTable } from '../table';

interface ContinuityOptions {
  from?: string;
  to?: string;
  groupBy?: string;
  asOf?: string;
  disclosure: string;
  format: 'json' | 'csv' | 'table';
}

/**
 * `hub report continuity ...` (SPEC sections 5 and 8): the operator's view, every provider's
 * releases. `--disclosure published` is an aggregate-reporting output: NHS data of people on the
 * National Data Opt-out register is left out where an agreement for aggregate-reporting respects it.
 */
export function registerReport(program: Command, flags: () => StorageFlags): void {
  const report = program.command('report').description('aggregate reports');
  report
    .command('continuity')
    .description('continuity of care (C20): releases in [from, to] and whether they engaged with community treatment within 21 days')
    .requiredOption('--from <date>', 'first release date (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last release date (YYYY-MM-DD)')
    .option('--group-by <dimensions>', `comma-separated: ${reportDimensions.join(', ')}`)
    .option('--as-of <instant>', 'ISO 8601 instant: only what had arrived in the hub by then counts (default now)')
    .addOption(new Option('--disclosure <mode>', 'none, or published (small counts suppressed, others rounded to 5)').default('none'))
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'table']).default('json'))
    .action(async (options: ContinuityOptions) => {
      const request = parseReportRequest({ from: options.from, to: options.to, groupBy: options.groupBy, asOf: options.asOf, disclosure: options.disclosure });
      const result = await withHub(flags(), async ({ hub }) => {
        await new ProjectionEngine(hub, hubProjections(hub)).catchUp();
        const now = hub.clock.now();
        const optOut = request.disclosure === 'published' ? await reportOptOut(hub, { purpose: 'aggregate-reporting', on: londonDateOf(now) }) : undefined;
        return continuityQueriesOf(hub).report(request, { now, ...(optOut ? { optOut } : {}) });
      });
      if (options.format === 'json') printJson(result);
      else process.stdout.write(options.format === 'csv' ? reportCsv(result, request.groupBy) : formatTable(flatReportRows(result, request.groupBy), reportColumns(result, request.groupBy)));
    });
}
