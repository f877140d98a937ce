import type { IngestContext, IngestOutcome, IngestPipeline } from '@hub/ingest';
import type { Clock } from '@hub/kernel';
import { type BusLogger, type HubTopics, type MessageBus, type ReceivedMessage, silentBusLogger, type Subscription } from '@hub/messaging';
import { Outbox } from '@hub/outbox';
import { ingestReceipts } from './ingest-receipts';
import { decodeInboundRecord } from './kafka-cloud-event';
import { rejectedRecord } from './rejected-record';

export interface InboundBatchSummary {
  readonly agencyId: string;
  readonly topic: string;
  readonly partition: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
}

export interface InboundConsumerOptions {
  readonly bus: MessageBus;
  readonly pipeline: Pick<IngestPipeline, 'ingest'>;
  readonly topics: HubTopics;
  readonly clock: Clock;
  readonly logger?: BusLogger;
  /** Default `<prefix>.hub.ingest`: every hub process joins it and Kafka shares the partitions out. */
  readonly groupId?: string;
  /** Write an ingest receipt per record to the outbox, in the batch's transaction (default true). */
  readonly receipts?: boolean;
  /** Records per ingest transaction (default 1000). */
  readonly maxBatch?: number;
  /** After each batch is stored, rejections published, and before its offset commits. */
  readonly onBatch?: (summary: InboundBatchSummary) => void;
}

/**
 * The hub's Kafka consumer: every record on `cdp.inbound.<agency>` through the same ingest pipeline
 * as HTTP, with the topic's agency as the publisher (so a foreign `source` is SOURCE_MISMATCH).
 * A batch's offset commits only after its events are appended (or their rejections recorded, in
 * the same transaction as their receipts) and every rejected record is on `cdp.rejected.<agency>`:
 * a crash re-delivers, and the store's idempotency turns what was stored into duplicates.
 */
export class InboundConsumer {
  private subscription: Subscription | undefined;
  private readonly logger: BusLogger;

  constructor(private readonly options: InboundConsumerOptions) {
    this.logger = options.logger ?? silentBusLogger;
  }

  get groupId(): string {
    return this.options.groupId ?? `${this.options.topics.prefix}.hub.ingest`;
  }

  async start(): Promise<void> {
    if (this.subscription) return;
    this.subscription = await this.options.bus.subscribe({
      groupId: this.groupId,
      topics: [this.options.topics.inboundPattern],
      // A topic the hub meets for the first time is read from its first record: nothing published before is lost.
      fromBeginning: true,
      handle: (batch) => this.handle(batch),
    });
    this.logger.info('consuming inbound topics', { groupId: this.groupId, pattern: String(this.options.topics.inboundPattern) });
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }

  /** One partition's batch, in offset order. Throwing leaves the offset where it was: re-delivery. */
  async handle(batch: readonly ReceivedMessage[]): Promise<void> {
    const first = batch[0];
    if (!first) return;
    const agencyId = this.options.topics.agencyOfInbound(first.topic);
    if (agencyId === undefined) throw new Error(`Not an inbound topic: ${first.topic}`);
    const size = this.options.maxBatch ?? 1000;
    for (let start = 0; start < batch.length; start += size) {
      const records = batch.slice(start, start + size);
      const outcomes = await this.options.pipeline.ingest(records.map(decodeInboundRecord), this.contextFor(agencyId, records));
      await this.publishRejections(agencyId, records, outcomes);
      this.options.onBatch?.(summarise(agencyId, first, outcomes));
    }
  }

  private contextFor(agencyId: string, records: readonly ReceivedMessage[]): IngestContext {
    const receipts = this.options.receipts ?? true;
    return {
      channel: 'kafka',
      publisher: agencyId,
      ...(receipts
        ? {
            withinTransaction: async (client, { outcomes, areaId }) => {
              // Before `hub init` there is no area to sign receipts with; the rejected topic still answers.
              if (areaId === undefined) return;
              await Outbox.enqueue(client, agencyId, ingestReceipts(records, outcomes, areaId, this.options.clock.now()));
            },
          }
        : {}),
    };
  }

  private async publishRejections(agencyId: string, records: readonly ReceivedMessage[], outcomes: readonly IngestOutcome[]): Promise<void> {
    const rejected = records.flatMap((record, index) => {
      const outcome = outcomes[index]!;
      return outcome.status === 'rejected' ? [rejectedRecord(record, outcome)] : [];
    });
    if (rejected.length > 0) await this.options.bus.publish(this.options.topics.rejected(agencyId), rejected);
  }
}

function summarise(agencyId: string, record: ReceivedMessage, outcomes: readonly IngestOutcome[]): InboundBatchSummary {
  const count = (status: IngestOutcome['status']) => outcomes.filter((outcome) => outcome.status === status).length;
  return { agencyId, topic: record.topic, partition: record.partition, accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected') };
}

