import 'reflect-metadata';
import { runCli } from './cli/program';

/** The `hub` bin. Commands that keep running (serve) leave the process alive; the rest exit with their status. */
export function run(argv: readonly string[]): void {
  runCli(argv).then(
    (code) => {
      process.exitCode = code;
      if (!isLongRunning(argv)) setImmediate(() => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`hub: ${(error as Error).message}\n`);
      process.exit(2);
    },
  );
}

function isLongRunning(argv: readonly string[]): boolean {
  return argv.slice(2).includes('serve');
}
