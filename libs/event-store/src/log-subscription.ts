import { Client } from 'pg';
import type { Database } from '@hub/database';
import { appendedChannel, readLog } from './postgres-event-store';
import type { Checkpoint, StoredEvent } from './stored-event';

export interface LogSubscriptionOptions {
  readonly from: Checkpoint;
  readonly batchSize?: number;
  readonly types?: readonly string[];
  /** Longest wait between polls when idle; notifications usually wake it sooner. */
  readonly idlePollMs?: number;
  /** Handles a page in log order; resolves once its effects are durable. A throw means the same page again, after a backoff. */
  readonly handle: (events: readonly StoredEvent[], next: Checkpoint) => Promise<void>;
  readonly onError?: (error: unknown) => void;
}

/**
 * Catch-up then live subscription to the log: reads pages after the checkpoint (gap-free), hands
 * each to `handle`, and waits for appends (LISTEN/NOTIFY, with polling as a safety net).
 */
export class LogSubscription {
  private checkpoint: Checkpoint;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private listener: Client | undefined;
  private caughtUpWaiters: (() => void)[] = [];

  constructor(private readonly database: Database, private readonly options: LogSubscriptionOptions) {
    this.checkpoint = options.from;
  }

  get position(): Checkpoint {
    return this.checkpoint;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
  }

  /** Resolves the next time a read finds nothing new (the subscriber has caught up with the log). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.caughtUpWaiters.push(resolve);
      this.wake?.();
    });
  }

  private async listen(): Promise<void> {
    try {
      const client = new Client({ connectionString: this.database.url });
      client.on('error', () => undefined);
      client.on('notification', () => this.wake?.());
      await client.connect();
      await client.query(`LISTEN ${appendedChannel}`);
      this.listener = client;
    } catch (error) {
      // Polling still works without notifications.
      this.options.onError?.(error);
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const page = await readLog(this.database, this.checkpoint, { limit: this.options.batchSize ?? 1000, ...(this.options.types ? { types: this.options.types } : {}) });
        failures = 0;
        if (page.events.length > 0) await this.options.handle(page.events, page.next);
        const advanced = page.next.globalPosition !== this.checkpoint.globalPosition || page.next.transactionId !== this.checkpoint.transactionId;
        this.checkpoint = page.next;
        if (advanced) continue;
        // Committed events held back by an older in-flight transaction become readable within milliseconds.
        if (await this.heldBack()) {
          await this.sleep(5);
          continue;
        }
        this.releaseIdleWaiters();
        await this.sleep(this.options.idlePollMs ?? 500);
      } catch (error) {
        failures += 1;
        this.options.onError?.(error);
        await this.sleep(Math.min(5000, 50 * 2 ** Math.min(failures, 7)));
      }
    }
    this.releaseIdleWaiters();
  }

  private async heldBack(): Promise<boolean> {
    const { rows } = await this.database.query<{ held: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM event_store.events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)) AS held`,
      [this.checkpoint.transactionId.toString(), this.checkpoint.globalPosition],
    );
    return rows[0]?.held ?? false;
  }

  private releaseIdleWaiters(): void {
    const waiters = this.caughtUpWaiters;
    this.caughtUpWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
