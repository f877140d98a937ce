import { Option, type Command } from 'commander';
import { londonDateOf } from '@hub/kernel';
import { ReviewQueries, toCliReview } from '@hub/reviews';
import { hubProjections } from '../../runtime/hub-projections';
import { ProjectionEngine } from '../../runtime/projection-engine';
import { type StorageFlags, withHub } from '../hub-context';
import { printJson } from '../output';
import { formatTable } from '../table';

export function registerReviews(program: Command, flags: () => StorageFlags): void {
  program
    .command('reviews')
    .description('the drug-related-death review queue (SPEC section 7), after catching up with the log')
    .addOption(new Option('--status <status>', 'open (open, assigned or in-review), closed, assigned, in-review or all').choices(['open', 'closed', 'assigned', 'in-review', 'all']).default('all'))
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table']).default('json'))
    .action(async (options: { status: 'open' | 'closed' | 'assigned' | 'in-review' | 'all'; format: 'json' | 'table' }) => {
      const reviews = await withHub(flags(), async ({ hub }) => {
        await new ProjectionEngine(hub, hubProjections(hub)).catchUp();
        return (await new ReviewQueries(hub.database).list({ status: options.status, today: londonDateOf(hub.clock.now()) })).map(toCliReview);
      });
      if (options.format === 'table') process.stdout.write(formatTable(reviews, ['id', 'personRef', 'diedOn', 'priority', 'status', 'dueOn', 'flags']));
      else printJson(reviews);
    });
}
