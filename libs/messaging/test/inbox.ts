import type { ReceivedMessage } from '../src';

/** Collects what a subscription receives; waits for conditions with a deadline (no sleeps). */
export class Inbox {
  readonly received: ReceivedMessage[] = [];

  readonly handle = async (batch: ReadonlyArray<ReceivedMessage>): Promise<void> => {
    this.received.push(...batch);
  };

  /** First delivery of each topic/partition/offset, in arrival order (re-deliveries dropped). */
  firstDeliveries(): ReceivedMessage[] {
    const seen = new Set<string>();
    return this.received.filter((m) => {
      const id = `${m.topic}/${m.partition}/${m.offset}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  values(): string[] {
    return this.received.map((m) => m.value?.toString() ?? '<null>');
  }

  waitForDistinct(count: number, timeoutMs: number): Promise<void> {
    return waitUntil(() => this.firstDeliveries().length >= count, timeoutMs, `${count} distinct messages`, () =>
      `got ${this.firstDeliveries().length}`,
    );
  }
}

export async function waitUntil(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
  progress: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} ${progress()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
