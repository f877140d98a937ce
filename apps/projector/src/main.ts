import 'reflect-metadata';
import { projectorOptionsFromEnv, startProjector } from './projector';

/** `bin/projector.js`: runs until SIGTERM or SIGINT, then stops cleanly (exit 0). Configuration errors exit 2. */
export function run(env: NodeJS.ProcessEnv = process.env): void {
  let options;
  try {
    options = projectorOptionsFromEnv(env);
  } catch (error) {
    process.stderr.write(`projector: ${(error as Error).message}\n`);
    process.exit(2);
  }
  startProjector(options).then(
    (projector) => {
      const shutdown = () => void projector.stop().then(() => process.exit(0), () => process.exit(1));
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    },
    (error: unknown) => {
      options.logger.fatal({ error: (error as Error).message }, 'projector could not start');
      process.exit(1);
    },
  );
}
