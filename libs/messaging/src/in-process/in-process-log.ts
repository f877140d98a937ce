import type { BusMessage, ReceivedMessage } from '../message-bus.port';

/** One topic held in memory: partitions are append-only arrays, an offset is an index. */
export class InProcessTopic {
  private readonly partitions: ReceivedMessage[][];
  private nextRoundRobin = 0;

  constructor(readonly name: string, partitionCount: number) {
    this.partitions = Array.from({ length: partitionCount }, () => []);
  }

  get partitionCount(): number {
    return this.partitions.length;
  }

  append(message: BusMessage, now: number): void {
    const partition = this.partitionFor(message.key ?? null);
    const log = this.partitions[partition]!;
    log.push(
      Object.freeze({
        topic: this.name,
        partition,
        offset: String(log.length),
        key: message.key ?? null,
        value: toBuffer(message.value),
        headers: Object.freeze({ ...(message.headers ?? {}) }),
        timestamp: String(now),
      }),
    );
  }

  endOffset(partition: number): number {
    return this.partitions[partition]!.length;
  }

  read(partition: number, from: number, maxCount: number): ReceivedMessage[] {
    return this.partitions[partition]!.slice(from, from + maxCount);
  }

  private partitionFor(key: string | null): number {
    if (key === null) return this.nextRoundRobin++ % this.partitions.length;
    return fnv1a32(key) % this.partitions.length;
  }
}

function toBuffer(value: Buffer | string | null): Buffer | null {
  if (value === null) return null;
  // A copy: the publisher may reuse its buffer after publish resolves.
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
}

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Wakes every waiter when something changed (a publish, a subscription started or stopped). */
export class ChangeSignal {
  private waiters: Array<() => void> = [];

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
