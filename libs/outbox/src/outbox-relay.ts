import type { Client } from 'pg';
import { type Database, LeadershipLock } from '@hub/database';
import { backoffDelayMs, type BusLogger, type BusMessage, describeError, type HubTopics, type MessageBus, silentBusLogger } from '@hub/messaging';
import { outboxChannel } from './outbox';
import type { OutboundEvent } from './outbound-event';

export interface OutboxRelayOptions {
  readonly database: Database;
  readonly bus: MessageBus;
  readonly topics: HubTopics;
  readonly logger?: BusLogger;
  /** Longest wait for new rows when idle (a NOTIFY wakes the relay sooner). Default 1 s. */
  readonly idlePollMs?: number;
  /** How often a standby tries to become the active relay. Default 2 s. */
  readonly standbyPollMs?: number;
  /** Rows read per page. Default 100. */
  readonly pageSize?: number;
  /** Sent rows are deleted after this long. Default 7 days. */
  readonly retentionMs?: number;
  /** Called after each acknowledged and marked page: metrics and tests. */
  readonly onSent?: (events: number) => void;
}

interface UnsentRow {
  readonly position: string;
  readonly agency_id: string;
  readonly events: OutboundEvent[];
}

const lockName = 'cdp-hub:outbox-relay';
const publishChunk = 500;
const pruneEveryMs = 3_600_000;

/**
 * Publishes outbox rows to `cdp.outbound.<agency>`: in order per agency, at least once, record key
 * = hub event id; a row is marked sent only after the broker acknowledged all its events. One
 * relay is active across all processes (a session advisory lock); a standby takes over when the
 * active one's connection goes. Every read and mark runs on the lock's own connection, so a relay
 * that lost its lock cannot mark anything: the new leader re-publishes (receivers de-duplicate by key).
 * Outbound topics have one partition, so an agency's events are totally ordered.
 */
export class OutboxRelay {
  private readonly lock: LeadershipLock;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly knownTopics = new Set<string>();
  private readonly logger: BusLogger;
  private lastPrune = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.logger = options.logger ?? silentBusLogger;
    this.lock = new LeadershipLock(options.database.url, lockName, async (client) => {
      client.on('notification', () => this.wake?.());
      await client.query(`LISTEN ${outboxChannel}`);
    });
  }

  get isLeader(): boolean {
    return this.lock.held;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.lock.release();
  }

  /**
   * One pass without the loop (tests, tools): takes the lock if it is free, publishes every row
   * visible now, and returns how many events went out. Throws when another relay is active.
   */
  async relayOnce(): Promise<number> {
    if (this.running) throw new Error('relayOnce: this relay is running its own loop');
    if (!(await this.acquireLock())) throw new Error('relayOnce: another outbox relay is active');
    let total = 0;
    for (let sent = -1; sent !== 0; total += sent) sent = await this.relayPage(this.lock.client);
    return total;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        if (!(await this.acquireLock())) {
          await this.sleep(this.options.standbyPollMs ?? 2_000);
          continue;
        }
        const sent = await this.relayPage(this.lock.client);
        failures = 0;
        if (sent === 0) {
          await this.pruneSent(this.lock.client);
          await this.sleep(this.options.idlePollMs ?? 1_000);
        }
      } catch (error) {
        failures += 1;
        const retryInMs = backoffDelayMs({ initialMs: 200, maxMs: 10_000 }, failures);
        this.logger.warn('outbox relay failed; retrying', { attempt: failures, retryInMs, error: describeError(error) });
        if (this.lock.held && !(await this.lock.checkAlive())) this.logger.warn('outbox relay lost its lock connection; standing by', {});
        await this.sleep(retryInMs);
      }
    }
  }

  /** Publishes one page; returns how many events were acknowledged and marked sent. */
  private async relayPage(client: Client): Promise<number> {
    const { rows } = await client.query<UnsentRow>(
      `SELECT position, agency_id, events FROM outbox.deliveries
       WHERE sent_at IS NULL AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY transaction_id, position LIMIT $1`,
      [this.options.pageSize ?? 100],
    );
    if (rows.length === 0) return 0;
    const byAgency = new Map<string, UnsentRow[]>();
    for (const row of rows) byAgency.set(row.agency_id, [...(byAgency.get(row.agency_id) ?? []), row]);
    // Agencies in parallel (their topics are independent), each agency's rows in order.
    const results = await Promise.allSettled([...byAgency].map(async ([agencyId, agencyRows]) => {
      await this.publish(agencyId, agencyRows.flatMap((row) => row.events));
      return agencyRows;
    }));
    const sent = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    if (sent.length > 0) {
      await client.query('UPDATE outbox.deliveries SET sent_at = statement_timestamp() WHERE position = ANY($1::bigint[])', [sent.map((row) => row.position)]);
    }
    const events = sent.reduce((sum, row) => sum + row.events.length, 0);
    if (events > 0) this.options.onSent?.(events);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    return events;
  }

  private async publish(agencyId: string, events: readonly OutboundEvent[]): Promise<void> {
    const topic = this.options.topics.outbound(agencyId);
    if (!this.knownTopics.has(topic)) {
      await this.options.bus.ensureTopics([topic], { partitions: 1 });
      this.knownTopics.add(topic);
    }
    for (let start = 0; start < events.length; start += publishChunk) {
      await this.options.bus.publish(topic, events.slice(start, start + publishChunk).map(toBusMessage));
    }
  }

  private async pruneSent(client: Client): Promise<void> {
    if (Date.now() - this.lastPrune < pruneEveryMs) return;
    this.lastPrune = Date.now();
    const retentionMs = this.options.retentionMs ?? 7 * 86_400_000;
    const { rowCount } = await client.query(
      `DELETE FROM outbox.deliveries WHERE sent_at < statement_timestamp() - make_interval(secs => $1::double precision)`,
      [retentionMs / 1000],
    );
    if (rowCount) this.logger.info('pruned sent outbox rows', { rows: rowCount });
  }

  private async acquireLock(): Promise<boolean> {
    if (this.lock.held) return true;
    const taken = await this.lock.tryAcquire((error) => this.logger.warn('outbox relay could not try the lock', { error: describeError(error) }));
    if (taken) this.logger.info('outbox relay is active', {});
    return taken;
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function toBusMessage(event: OutboundEvent): BusMessage {
  return { key: event.id, value: JSON.stringify(event), headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' } };
}
