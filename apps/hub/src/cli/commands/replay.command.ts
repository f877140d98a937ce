import type { Command } from 'commander';
import { hubProjections } from '../../runtime/hub-projections';
import { ProjectionEngine } from '../../runtime/projection-engine';
import { type StorageFlags, withHub } from '../hub-context';
import { printJson } from '../output';

export function registerReplay(program: Command, flags: () => StorageFlags): void {
  program
    .command('replay')
    .description('rebuild every projection from the event store into fresh tables, then swap them in')
    .action(async () => {
      const results = await withHub(flags(), async ({ hub }) => {
        const engine = new ProjectionEngine(hub, hubProjections(hub));
        await engine.catchUp();
        return engine.rebuild();
      });
      printJson({ projections: results });
    });
}
