import type { PoolClient } from 'pg';
import { analyzeGrownTables, type Queryable } from '@hub/database';
import { installIdentityTables, plannedIdentityTables } from './identity-tables';
import { PairStore } from './pair-store';
import { PersonStore } from './person-store';
import { RecordIndex } from './record-index';

export * from './pair-store';
export * from './person-store';
export * from './record-index';

/**
 * The identity processor's tables (`identity-tables.ts`: only blind indexes and pseudonymous refs),
 * by responsibility: `records` (current versions, blocking keys and their counts, pending
 * subjects), `persons` (subjects' persons, the linked closure) and `pairs` (the model's and
 * reviewers' pairs, the review queue, the trained model).
 */
export class IdentityStore {
  readonly records: RecordIndex;
  readonly persons: PersonStore;
  readonly pairs: PairStore;

  constructor(private readonly client: Queryable, private readonly schema: string) {
    this.records = new RecordIndex(client, schema);
    this.persons = new PersonStore(client, schema);
    this.pairs = new PairStore(client, schema);
  }

  /** Keeps the planner's statistics up with the tables' growth (see `analyzeGrownTables`). */
  async analyzeGrown(): Promise<void> {
    await analyzeGrownTables(this.client, this.schema, plannedIdentityTables);
  }

  static async install(client: PoolClient, schema: string): Promise<void> {
    await installIdentityTables(client, schema);
  }
}
