import { backoffDelayMs, waitInSlices, type BackoffOptions } from '../backoff';
import { describeError, type BusLogger } from '../bus-logger';
import type { ReceivedMessage, SubscribeOptions } from '../message-bus.port';
import { matchesAny } from '../topic-pattern';
import type { ChangeSignal, InProcessTopic } from './in-process-log';

/** One subscriber of a group. Tracks the batch in hand so `stop` can wait for it. */
export class InProcessMember {
  stopped = false;
  private inFlight: Promise<void> | undefined;

  constructor(readonly options: SubscribeOptions) {}

  async deliver(batch: ReadonlyArray<ReceivedMessage>): Promise<void> {
    const handling = this.options.handle(batch);
    this.inFlight = handling.then(
      () => undefined,
      () => undefined,
    );
    try {
      await handling;
    } finally {
      this.inFlight = undefined;
    }
  }

  async idle(): Promise<void> {
    await this.inFlight;
  }
}

export interface GroupContext {
  readonly signal: ChangeSignal;
  readonly isClosed: () => boolean;
  readonly maxBatchSize: number;
  readonly redeliveryBackoff: BackoffOptions;
  readonly logger: BusLogger;
}

/**
 * A consumer group: committed offsets, members, and one worker per topic-partition.
 * A partition belongs to one live member at a time and has one batch in flight at most,
 * so its messages are handled in order.
 */
export class InProcessGroup {
  private readonly committed = new Map<string, number>();
  private readonly members: InProcessMember[] = [];
  private readonly workers = new Set<string>();

  constructor(readonly groupId: string, private readonly context: GroupContext) {}

  join(member: InProcessMember): void {
    this.members.push(member);
  }

  leave(member: InProcessMember): void {
    member.stopped = true;
    this.members.splice(this.members.indexOf(member), 1);
  }

  get memberCount(): number {
    return this.members.length;
  }

  /** Starts a worker for every partition some member subscribes to and none serves yet. */
  reconcile(topics: Iterable<InProcessTopic>): void {
    for (const topic of topics) {
      for (let partition = 0; partition < topic.partitionCount; partition++) {
        const key = `${topic.name}/${partition}`;
        const owner = this.ownerOf(topic.name, partition);
        if (!owner || this.workers.has(key)) continue;
        this.workers.add(key);
        if (!this.committed.has(key)) {
          this.committed.set(key, owner.options.fromBeginning ? 0 : topic.endOffset(partition));
        }
        void this.work(topic, partition, key).catch((error: unknown) => {
          this.workers.delete(key);
          this.context.logger.error('partition worker failed', { groupId: this.groupId, key, error: describeError(error) });
        });
      }
    }
  }

  private ownerOf(topicName: string, partition: number): InProcessMember | undefined {
    const matching = this.members.filter((m) => !m.stopped && matchesAny(topicName, m.options.topics));
    return matching[partition % Math.max(matching.length, 1)];
  }

  private async work(topic: InProcessTopic, partition: number, key: string): Promise<void> {
    let failures = 0;
    for (;;) {
      const owner = this.ownerOf(topic.name, partition);
      if (!owner || this.context.isClosed()) {
        // Synchronously with the decision, so a member joining right now starts a new worker.
        this.workers.delete(key);
        return;
      }
      const position = this.committed.get(key) ?? 0;
      const batch = topic.read(partition, position, this.context.maxBatchSize);
      if (batch.length === 0) {
        await this.context.signal.next();
        continue;
      }
      try {
        await owner.deliver(batch);
        this.committed.set(key, position + batch.length);
        failures = 0;
      } catch (error) {
        failures++;
        const delayMs = backoffDelayMs(this.context.redeliveryBackoff, failures);
        this.context.logger.warn('handler failed; the batch will be delivered again', {
          groupId: this.groupId, topic: topic.name, partition, offset: String(position),
          attempt: failures, retryInMs: delayMs, error: describeError(error),
        });
        await waitInSlices(delayMs, { sliceMs: 50, shouldStop: () => owner.stopped || this.context.isClosed() });
      }
    }
  }
}
