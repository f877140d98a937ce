import type { Queryable } from '@hub/database';
import { DomainError } from '@hub/kernel';
import { readEntry } from '@hub/projections';
import type { ModelTrainedData } from '../identity.events';
import { IdentityStore } from '../store/identity-store';
import { trainModel } from './linkage';
import { openPeople, type PairLinkerVault } from './pair-linker';

/** Fewer records than this say too little for EM; the configured model stays. */
export const minimumTrainingRecords = 500;

/**
 * Trains the model on the hub's own records (`hub identity train`): each subject's current record,
 * opened in memory in pages (never written anywhere), then u from random pairs and m by EM as in
 * `trainModel`. Returns the parameters for a `hub.identity.model-trained.v1` event.
 */
export async function trainOnHubRecords(
  queryable: Queryable, vault: Pick<PairLinkerVault, 'revealAt'>, options: { readonly randomPairs?: number } = {},
): Promise<ModelTrainedData> {
  const schema = (await readEntry(queryable, 'identity'))?.activeSchema;
  const positions = schema ? [...(await new IdentityStore(queryable, schema).records.allLatestRecordPositions()).values()] : [];
  const records = [];
  for (let i = 0; i < positions.length; i += 1000) {
    for (const [id, person] of await openPeople(vault, queryable, positions.slice(i, i + 1000))) records.push({ id, person });
  }
  if (records.length < minimumTrainingRecords) {
    throw new DomainError('IDENTITY.TOO_FEW_RECORDS', `records: ${records.length} agency subjects are too few to train the linking model (at least ${minimumTrainingRecords})`);
  }
  const trained = trainModel(records, options.randomPairs ? { randomPairs: options.randomPairs } : {});
  return { model: trained.model, records: records.length, sessions: trained.sessions };
}
