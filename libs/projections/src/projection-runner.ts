import { Client, type PoolClient } from 'pg';
import { analyzeGrownTables, type Database, LeadershipLock } from '@hub/database';
import { appendedChannel, type Checkpoint, compareCheckpoints, logStart, type PostgresEventStore, readLog, type StoredEvent } from '@hub/event-store';
import type { Clock } from '@hub/kernel';
import { advanceCheckpoint, loadCheckpoint, saveCheckpoint, sameCheckpoint } from './checkpoint-store';
import type { Projection, ProjectionContext, ProjectionMode } from './projection';
import { ensureRegistered, lockEntry, type RegistryEntry, subscriberFor } from './projection-registry';

export interface RunnerOptions {
  readonly clock: Clock;
  readonly batchSize?: number;
  readonly idlePollMs?: number;
  /** How often `tick` runs in live mode. */
  readonly tickIntervalMs?: number;
  /** How often, while pages are applied, the projection's tables are checked for grown tables to analyze (`analyzeGrownTables`); default 10 s. */
  readonly statisticsIntervalMs?: number;
  readonly onError?: (error: unknown, projection: string) => void;
  /** Called after each committed page: for lag metrics and tests. */
  readonly onProgress?: (projection: string, lastEvent: StoredEvent) => void;
  /** Called when grown tables of the projection were analyzed. */
  readonly onStatistics?: (projection: string, tables: readonly string[]) => void;
}

/** Another runner advanced the checkpoint first: this one reloads and carries on (never applies twice). */
class CheckpointMoved extends Error {}

/**
 * Keeps one projection up to date with the log. One active runner per projection: it holds a
 * session advisory lock; a standby retries and takes over when the holder's connection goes.
 * Each page is applied and its checkpoint saved in one transaction, guarded by the stored
 * checkpoint (compare-and-set), so an event's effect lands exactly once.
 */
export class ProjectionRunner {
  private entry: RegistryEntry | undefined;
  private checkpoint: Checkpoint | undefined;
  private readonly lock: LeadershipLock;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** An append was announced since the last read began: do not sleep through it. */
  private appended = false;
  private lastTick = 0;
  private lastStatistics = 0;

  constructor(
    private readonly database: Database,
    private readonly store: PostgresEventStore,
    readonly projection: Projection,
    private readonly options: RunnerOptions,
  ) {
    this.lock = new LeadershipLock(database.url, `cdp-hub:projection:${projection.name}`);
  }

  get isLeader(): boolean {
    return this.lock.held;
  }

  /** Live mode: lead when possible, follow the log until stopped. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.runLive();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.releaseLock();
  }

  /**
   * One-shot: applies everything up to the log head as of now, then returns (and, with `tick`,
   * runs the projection's time-based work once from the hub's clock). If another process leads
   * this projection, waits for it to reach the head instead (its own ticks do the time-based work).
   */
  async catchUp(timeoutMs = 120_000, options: { tick?: boolean } = {}): Promise<void> {
    const target = await this.store.head();
    const entry = await ensureRegistered(this.database, this.projection);
    if (await this.acquireLock()) {
      try {
        this.entry = entry;
        // Up to the head as it was when asked: under continuous writes this still ends. A read can
        // stop short of it while an older transaction (anywhere on the server) is still in flight:
        // the head's events are then held back, not missing, so wait for them rather than stop.
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const progressed = await this.step('live');
          if (compareCheckpoints(this.checkpoint ?? logStart, target) >= 0) break;
          if (progressed) continue;
          if (Date.now() > deadline) throw new Error(`Projection ${this.projection.name} did not reach the log head within ${timeoutMs} ms (a transaction is held open)`);
          await new Promise((done) => setTimeout(done, 20));
        }
        if (options.tick) await this.tickNow();
      } finally {
        await this.releaseLock();
      }
      return;
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await readEntryCheckpoint(this.database, this.projection.name);
      if (compareCheckpoints(current, target) >= 0) return;
      if (Date.now() > deadline) throw new Error(`Projection ${this.projection.name} did not catch up within ${timeoutMs} ms (is the hub's projector running?)`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  private async runLive(): Promise<void> {
    const listener = await this.listen();
    let failures = 0;
    while (this.running) {
      try {
        if (!this.lock.held && !(await this.acquireLock())) {
          await this.sleep(2000);
          continue;
        }
        this.entry ??= await ensureRegistered(this.database, this.projection);
        this.appended = false;
        const progressed = await this.step('live');
        await this.maybeTick();
        failures = 0;
        // An append announced while reading is not slept through (the notification came before the sleep).
        if (!progressed && !this.appended) await this.sleep(this.options.idlePollMs ?? 500);
      } catch (error) {
        failures += 1;
        this.options.onError?.(error, this.projection.name);
        if (!(await this.lock.checkAlive())) this.checkpoint = undefined;
        await this.sleep(Math.min(5000, 50 * 2 ** Math.min(failures, 7)));
      }
    }
    await listener?.end().catch(() => undefined);
  }

  /** Reads one page and applies it; false when there was nothing to read. */
  private async step(mode: ProjectionMode): Promise<boolean> {
    const subscriber = subscriberFor(this.projection.name, this.entry!.generation);
    this.checkpoint ??= await loadCheckpoint(this.database, subscriber);
    const from = this.checkpoint;
    const page = await readLog(this.database, from, {
      limit: this.options.batchSize ?? 500,
      ...(this.projection.eventTypes ? { types: this.projection.eventTypes } : {}),
    });
    if (sameCheckpoint(page.next, from)) return false;
    // None of the projection's types since `from`: only the position moves, in one statement (most
    // reads of a projection that reads a few types, while agencies' events stream in).
    if (page.events.length === 0 && await advanceCheckpoint(this.database, subscriber, from, page.next)) {
      this.checkpoint = page.next;
      return true;
    }
    let applied = false;
    try {
      await this.database.transaction(async (client) => {
        const entry = await lockEntry(client, this.projection.name, 'FOR SHARE');
        if (entry.generation !== this.entry!.generation) {
          // A rebuild swapped in a new generation: continue from its checkpoint, in its schema.
          this.entry = entry;
          this.checkpoint = undefined;
          return;
        }
        const stored = await loadCheckpoint(client, subscriber, true);
        if (!sameCheckpoint(stored, from)) throw new CheckpointMoved();
        if (page.events.length > 0) await this.projection.apply(page.events, this.contextFor(client, entry.activeSchema, mode));
        await saveCheckpoint(client, subscriber, page.next);
        this.checkpoint = page.next;
        applied = true;
      });
    } catch (error) {
      if (!(error instanceof CheckpointMoved)) throw error;
      this.checkpoint = undefined;
    }
    const last = page.events[page.events.length - 1];
    if (applied && last) {
      this.options.onProgress?.(this.projection.name, last);
      await this.keepStatistics();
    }
    return true;
  }

  /**
   * The projection's tables grow as pages are applied; the planner's statistics must follow, or its
   * lookups by a page's keys turn into scans of whole tables. Autovacuum may be slow to analyze them,
   * or off: at most every `statisticsIntervalMs`, tables that have about doubled are analyzed (one
   * round trip when none has), outside the page's transaction.
   */
  private async keepStatistics(): Promise<void> {
    if (Date.now() - this.lastStatistics < (this.options.statisticsIntervalMs ?? 10_000) || !this.entry) return;
    this.lastStatistics = Date.now();
    const analyzed = await analyzeGrownTables(this.database, this.entry.activeSchema);
    if (analyzed.length > 0) this.options.onStatistics?.(this.projection.name, analyzed);
  }

  private async maybeTick(): Promise<void> {
    if (!this.projection.tick) return;
    const interval = this.options.tickIntervalMs ?? 1000;
    if (Date.now() - this.lastTick < interval) return;
    this.lastTick = Date.now();
    await this.tickNow();
  }

  private async tickNow(): Promise<void> {
    const tick = this.projection.tick;
    if (!tick) return;
    await this.database.transaction(async (client) => {
      const entry = await lockEntry(client, this.projection.name, 'FOR SHARE');
      await loadCheckpoint(client, subscriberFor(this.projection.name, entry.generation), true);
      await tick.call(this.projection, this.contextFor(client, entry.activeSchema, 'live'));
    });
  }

  contextFor(client: PoolClient, schema: string, mode: ProjectionMode): ProjectionContext {
    return {
      client, schema, mode, now: this.options.clock.now(),
      append: (requests) => (mode === 'live' ? this.store.appendIn(client, requests) : Promise.resolve([])),
    };
  }

  private acquireLock(): Promise<boolean> {
    return this.lock.tryAcquire((error) => this.options.onError?.(error, this.projection.name));
  }

  private async releaseLock(): Promise<void> {
    this.checkpoint = undefined;
    await this.lock.release();
  }

  private async listen(): Promise<Client | undefined> {
    try {
      const client = new Client({ connectionString: this.database.url });
      client.on('error', () => undefined);
      client.on('notification', () => {
        this.appended = true;
        this.wake?.();
      });
      await client.connect();
      await client.query(`LISTEN ${appendedChannel}`);
      return client;
    } catch {
      return undefined;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

async function readEntryCheckpoint(database: Database, name: string): Promise<Checkpoint> {
  const { rows } = await database.query<{ generation: number }>('SELECT generation FROM projections.registry WHERE name = $1', [name]);
  const generation = rows[0]?.generation ?? 1;
  return loadCheckpoint(database, subscriberFor(name, generation));
}
