import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { IdentityQueries, identityModelStreamId, modelTrainedType, trainOnHubRecords } from '@hub/identity';
import { appendIdentityReviewDecision } from '../../use-cases/identity-reviews/identity-review.handlers';
import { hubProjections } from '../../runtime/hub-projections';
import { ProjectionEngine } from '../../runtime/projection-engine';
import { type StorageFlags, withHub } from '../hub-context';
import { printJson } from '../output';
import { positiveInteger } from './simulate.command';

/** `hub identity explain REF`: which agency subjects a person links, and by which rule (never an identifier in clear). */
export function registerIdentity(program: Command, flags: () => StorageFlags): void {
  const identity = program.command('identity').description('person linking (SPEC section 5): how the hub decided who is who');
  identity
    .command('explain')
    .argument('<personRef>', 'a personRef as the hub shows it (alerts, reviews)')
    .description('the subjects of a person (agency and pseudonymous stream) and the rule that linked each, as JSON')
    .action(async (personRef: string) => {
      const explanation = await withHub(flags(), async ({ hub }) => {
        await new ProjectionEngine(hub, hubProjections(hub)).catchUp(['identity']);
        return new IdentityQueries(hub.database).explain(personRef);
      });
      printJson(explanation);
    });
  identity
    .command('train')
    .description('train the probabilistic model on the hub\'s own records (u from random pairs, m by EM) and record it (hub.identity.model-trained.v1); later decisions use it. Prints the parameters (aggregates only)')
    .option('--random-pairs <n>', 'random pairs for u', positiveInteger('--random-pairs'), 100_000)
    .action(async (options: { randomPairs: number }) => {
      const trained = await withHub(flags(), async ({ hub }) => {
        const engine = new ProjectionEngine(hub, hubProjections(hub));
        await engine.catchUp(['identity']);
        const data = await trainOnHubRecords(hub.database, hub.vault, { randomPairs: options.randomPairs });
        await hub.store.append([{
          streamId: identityModelStreamId, expectedVersion: 'any',
          events: [{ eventId: randomUUID(), type: modelTrainedType, source: 'hub', subject: null, occurredAt: hub.clock.now().toISOString(), data, metadata: { by: 'hub-admin' } }],
        }]);
        await engine.catchUp(['identity']);
        return data;
      });
      printJson(trained);
    });
  const review = identity.command('review').description('the clerical review queue of person links (issue 8): pairs the model scored between its thresholds');
  review
    .command('list', { isDefault: true })
    .description('pairs waiting for a reviewer, strongest first: pseudonymous subjects, comparison levels and weights (no personal values), as JSON')
    .action(async () => {
      const queue = await withHub(flags(), async ({ hub }) => {
        await new ProjectionEngine(hub, hubProjections(hub)).catchUp(['identity']);
        return new IdentityQueries(hub.database).reviewQueue();
      });
      printJson(queue);
    });
  for (const [decision, description] of [
    ['accept', 'link the pair: its subjects become one person'],
    ['reject', 'keep the pair apart (unlinking it if the model or a reviewer linked it)'],
  ] as const) {
    review
      .command(decision)
      .argument('<pairId>', 'a pair id from `hub identity review list` or `hub identity explain`')
      .option('--note <text>', 'why (kept with the decision; no personal data)')
      .description(`${description}; prints the pair and the persons of its subjects after the decision`)
      .action(async (pairId: string, options: { note?: string }) => {
        const result = await withHub(flags(), async ({ hub }) => {
          const engine = new ProjectionEngine(hub, hubProjections(hub));
          await engine.catchUp(['identity']);
          await appendIdentityReviewDecision(hub, pairId, decision, 'hub-admin', options.note);
          // The decision makes the processor append the link (or unlink) events, which it then
          // reads back: catch up until the log's head stands still, not just to the decision.
          for (let head = -1; ;) {
            await engine.catchUp(['identity']);
            const now = (await hub.store.head()).globalPosition;
            if (now === head) break;
            head = now;
          }
          const queries = new IdentityQueries(hub.database);
          const pair = (await queries.pair(pairId))!;
          return { pairId, decision, status: pair.status, subjects: await Promise.all([pair.a, pair.b].map(async (s) => ({ subjectStream: s, personRef: (await queries.personOfSubject(s)) ?? null }))) };
        });
        printJson(result);
      });
  }
}
