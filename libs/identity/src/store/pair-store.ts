import { prepared, type Queryable } from '@hub/database';
import {
  pairLinkedType, type PairLinkedData, pairUnlinkedType, type PairUnlinkedData, reviewDecidedType, type ReviewDecidedData, reviewRequestedType, type ReviewRequestedData,
} from '../identity.events';
import type { FellegiSunterModel } from '../probabilistic/fellegi-sunter';
import { exactRule, type KeyRow } from './record-index';

export type PairStatus = 'linked' | 'review' | 'apart';

/** A pair the model or a reviewer decided. `data` is its last scored event (levels and weights, no values). */
export interface PairRow {
  readonly pairId: string;
  readonly a: string;
  readonly b: string;
  readonly status: PairStatus;
  readonly decidedBy: string;
  readonly matchWeight: number | null;
  readonly data: unknown;
}

interface PairTableRow { pair_id: string; a: string; b: string; status: PairStatus; decided_by: string; match_weight: number | null; data: unknown }

/** What scoring some subjects needs, fetched in one round trip (`PairStore.candidates`). */
export interface Candidates {
  /** The subjects holding each blocking key asked for. */
  readonly holders: ReadonlyMap<string, readonly string[]>;
  /** The pairs already decided that involve the subjects. */
  readonly pairs: readonly PairRow[];
  /**
   * The exact rules' keys of the subjects, and every other subject's rows of those keys: enough to
   * tell whether the exact rules link a subject to anyone (they link only through a shared key).
   */
  readonly exactKeys: readonly KeyRow[];
  /** The model trained on the hub's records, if any. */
  readonly trainedModel: FellegiSunterModel | undefined;
}

/** The pairs side of the identity tables: pairs decided by the model or a reviewer, the review queue, the trained model. */
export class PairStore {
  constructor(private readonly client: Queryable, private readonly schema: string) {}

  /**
   * Everything scoring these subjects needs, in one round trip: the holders of their chosen blocking
   * keys, their pairs, their exact keys with everyone sharing one, and the trained model. The
   * records of the pairs worth scoring are opened afterwards (`latestRecordsOf`), not those of
   * every candidate: most candidates the exact rules link already, or a reviewer decided.
   */
  async candidates(streams: readonly string[], keys: readonly string[]): Promise<Candidates> {
    const s = this.schema;
    const { rows: [row] } = await this.client.query<{
      holders: { stream_id: string; key: string }[] | null; pairs: PairTableRow[] | null; exact: KeyRow[] | null; model: FellegiSunterModel | null;
    }>(
      prepared(`WITH holders AS (SELECT stream_id, key FROM ${s}.identity_keys WHERE key = ANY($2::text[])),
       pairs AS (SELECT * FROM ${s}.identity_pairs WHERE a = ANY($1::text[]) UNION SELECT * FROM ${s}.identity_pairs WHERE b = ANY($1::text[])),
       own AS (SELECT key FROM ${s}.identity_keys WHERE stream_id = ANY($1::text[]) AND ${exactRule()})
       SELECT (SELECT json_agg(holders) FROM holders) AS holders, (SELECT json_agg(pairs) FROM pairs) AS pairs,
         (SELECT json_agg(k) FROM (SELECT stream_id, key, qualifier, rule FROM ${s}.identity_keys WHERE key = ANY(ARRAY(SELECT DISTINCT key FROM own))) k) AS exact,
         (SELECT model FROM ${s}.identity_model) AS model`), [streams, keys],
    );
    const holders = new Map<string, string[]>();
    for (const h of row?.holders ?? []) holders.set(h.key, [...(holders.get(h.key) ?? []), h.stream_id]);
    return { holders, pairs: (row?.pairs ?? []).map(pairRow), exactKeys: row?.exact ?? [], trainedModel: row?.model ?? undefined };
  }

  /** The pairs (decided by the model or a reviewer) that involve any of these subjects. */
  async pairsOf(streams: readonly string[]): Promise<PairRow[]> {
    if (streams.length === 0) return [];
    const { rows } = await this.client.query<PairTableRow>(
      `SELECT * FROM ${this.schema}.identity_pairs WHERE a = ANY($1::text[]) UNION SELECT * FROM ${this.schema}.identity_pairs WHERE b = ANY($1::text[])`, [streams],
    );
    return rows.map(pairRow);
  }

  async pair(pairId: string): Promise<PairRow | undefined> {
    const { rows } = await this.client.query<PairTableRow>(`SELECT * FROM ${this.schema}.identity_pairs WHERE pair_id = $1`, [pairId]);
    return rows[0] ? pairRow(rows[0]) : undefined;
  }

  /** The clerical review queue: pairs waiting for a reviewer, strongest first. */
  async reviewQueue(): Promise<PairRow[]> {
    const { rows } = await this.client.query<PairTableRow>(
      `SELECT * FROM ${this.schema}.identity_pairs WHERE status = 'review' ORDER BY match_weight DESC, pair_id`,
    );
    return rows.map(pairRow);
  }

  /**
   * Records pair events in log order: a link, an unlink, a review requested (unless a reviewer
   * already decided the pair), a reviewer's decision (which the model never overrides).
   */
  async recordPairs(events: readonly { type: string; data: unknown }[]): Promise<void> {
    for (const event of events) {
      if (event.type === pairLinkedType || event.type === reviewRequestedType) {
        const data = event.data as PairLinkedData | ReviewRequestedData;
        const linked = event.type === pairLinkedType;
        const decidedBy = linked ? (data as PairLinkedData).decidedBy : 'model';
        await this.client.query(
          prepared(`INSERT INTO ${this.schema}.identity_pairs AS p (pair_id, a, b, status, decided_by, match_weight, data) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (pair_id) DO UPDATE SET status = excluded.status, decided_by = excluded.decided_by, match_weight = excluded.match_weight, data = excluded.data
           WHERE $5 = 'reviewer' OR p.decided_by <> 'reviewer'`),
          [data.pairId, data.subjects[0], data.subjects[1], linked ? 'linked' : 'review', decidedBy, data.matchWeight, JSON.stringify(data)],
        );
      } else if (event.type === pairUnlinkedType) {
        const data = event.data as PairUnlinkedData;
        await this.client.query(
          prepared(`UPDATE ${this.schema}.identity_pairs SET status = 'apart', decided_by = $2 WHERE pair_id = $1 AND ($2 = 'reviewer' OR decided_by <> 'reviewer')`),
          [data.pairId, data.decidedBy],
        );
      } else if (event.type === reviewDecidedType) {
        const data = event.data as ReviewDecidedData;
        await this.client.query(
          prepared(`UPDATE ${this.schema}.identity_pairs SET status = $2, decided_by = 'reviewer' WHERE pair_id = $1`),
          [data.pairId, data.decision === 'accept' ? 'linked' : 'apart'],
        );
      }
    }
  }

  async saveModel(model: FellegiSunterModel): Promise<void> {
    await this.client.query(
      `INSERT INTO ${this.schema}.identity_model (one, model) VALUES (true, $1) ON CONFLICT (one) DO UPDATE SET model = excluded.model`, [JSON.stringify(model)],
    );
  }

  async trainedModel(): Promise<FellegiSunterModel | undefined> {
    const { rows } = await this.client.query<{ model: FellegiSunterModel }>(`SELECT model FROM ${this.schema}.identity_model`);
    return rows[0]?.model;
  }
}

function pairRow(row: PairTableRow): PairRow {
  return { pairId: row.pair_id, a: row.a, b: row.b, status: row.status, decidedBy: row.decided_by, matchWeight: row.match_weight, data: row.data };
}
