import { Option, type Command } from 'commander';
import { AlertQueries, toCliAlert } from '@hub/alerts';
import { hubProjections } from '../../runtime/hub-projections';
import { ProjectionEngine } from '../../runtime/projection-engine';
import { type StorageFlags, withHub } from '../hub-context';
import { printJson } from '../output';
import { formatTable } from '../table';

export function registerAlerts(program: Command, flags: () => StorageFlags): void {
  program
    .command('alerts')
    .description('alerts the hub has raised (SPEC section 6), after catching up with the log and the clock')
    .addOption(new Option('--status <status>', 'open (open or acknowledged), closed (resolved or closed) or all').choices(['open', 'closed', 'all']).default('all'))
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table']).default('json'))
    .action(async (options: { status: 'open' | 'closed' | 'all'; format: 'json' | 'table' }) => {
      const alerts = await withHub(flags(), async ({ hub }) => {
        await new ProjectionEngine(hub, hubProjections(hub)).catchUp();
        return (await new AlertQueries(hub.database).list({ status: options.status })).map(toCliAlert);
      });
      if (options.format === 'table') process.stdout.write(formatTable(alerts, ['id', 'code', 'priority', 'status', 'raisedAt', 'personRef', 'localAuthority', 'recipients']));
      else printJson(alerts);
    });
}
