import { Command, CommanderError } from 'commander';
import { DomainError } from '@hub/kernel';
import { exitCodes, UsageError } from './cli-error';
import type { StorageFlags } from './hub-context';
import { registerAlerts } from './commands/alerts.command';
import { registerIdentity } from './commands/identity.command';
import { registerIngest } from './commands/ingest.command';
import { registerInit } from './commands/init.command';
import { registerOptOut } from './commands/opt-out.command';
import { registerReviews } from './commands/reviews.command';
import { registerSecurity } from './commands/security.command';
import { registerReplay } from './commands/replay.command';
import { registerReport } from './commands/report.command';
import { registerServe } from './commands/serve.command';
import { registerSimulate } from './commands/simulate.command';
import { registerSubjectAccess } from './commands/subject-access.command';
import { registerToken } from './commands/token.command';

/** `hub`: the command line of SPEC section 8. JSON on stdout, logs on stderr; exit 0 ok, 1 rejected input, 2 usage or configuration. */
export function buildProgram(): Command {
  const program = new Command('hub')
    .description('cdp-hub: event-sourced data sharing for Combating Drugs Partnerships')
    .option('--data-dir <dir>', 'embedded PostgreSQL data directory (env HUB_DATA_DIR; default ./.hub-data)')
    .option('--database-url <url>', 'PostgreSQL server URL (env DATABASE_URL)')
    .option('--log-level <level>', 'log level on stderr: error, warn, info, debug')
    .showHelpAfterError()
    .exitOverride();
  const flags = (): StorageFlags => program.opts<StorageFlags>();
  registerInit(program, flags);
  registerIngest(program, flags);
  registerSimulate(program);
  registerServe(program, flags);
  registerToken(program, flags);
  registerReplay(program, flags);
  registerAlerts(program, flags);
  registerReviews(program, flags);
  registerReport(program, flags);
  registerSecurity(program, flags);
  registerOptOut(program, flags);
  registerSubjectAccess(program, flags);
  registerIdentity(program, flags);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (error instanceof UsageError || error instanceof DomainError) {
      process.stderr.write(`hub: ${error.message}\n`);
      return exitCodes.usage;
    }
    process.stderr.write(`hub: ${(error as Error).message ?? String(error)}\n`);
    return exitCodes.usage;
  }
}
