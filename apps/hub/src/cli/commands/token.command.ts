import type { Command } from 'commander';
import { IssueTokenCommand } from '../../use-cases/issue-token/issue-token.command';
import { type StorageFlags, withHub } from '../hub-context';
import { positiveInteger } from './simulate.command';

export function registerToken(program: Command, flags: () => StorageFlags): void {
  program
    .command('token')
    .description('print a bearer token for an agency of the area, signed by this hub')
    .requiredOption('--agency <id>', 'agency id, as in area.json')
    .option('--ttl <seconds>', 'lifetime in seconds', positiveInteger('--ttl'), 3600)
    .action(async (options: { agency: string; ttl: number }) => {
      const token = await withHub(flags(), ({ commands }) => commands.execute(new IssueTokenCommand(options.agency, options.ttl)));
      process.stdout.write(`${token}\n`);
    });
}
