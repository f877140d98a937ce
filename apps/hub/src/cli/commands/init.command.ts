import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InitAreaCommand } from '../../use-cases/init-area/init-area.command';
import { UsageError } from '../cli-error';
import { type StorageFlags, withHub } from '../hub-context';
import { printJson } from '../output';

export function registerInit(program: Command, flags: () => StorageFlags): void {
  program
    .command('init')
    .description('record the area, its agencies and data sharing agreements (loading the same file twice changes nothing)')
    .requiredOption('--config <file>', 'area configuration (area.json)')
    .action(async (options: { config: string }) => {
      const config = await readJsonFile(options.config, '--config');
      const result = await withHub(flags(), ({ commands }) => commands.execute(new InitAreaCommand(config, 'cli:hub-init')));
      printJson(result);
    });
}

export async function readJsonFile(file: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${flag}: ${JSON.stringify(file)} is not valid JSON: ${(error as Error).message}`);
  }
}
