import { Client } from 'pg';

/**
 * One active worker across every process: a PostgreSQL session advisory lock held on a connection
 * of its own. The lock lives as long as that connection, so a worker that dies (even by kill -9)
 * lets a standby take over as soon as the server notices the connection is gone.
 */
export class LeadershipLock {
  private holder: Client | undefined;

  /** `prepare` runs on the lock's connection once the lock is taken (LISTEN, handlers), before it counts as held. */
  constructor(
    private readonly databaseUrl: string,
    readonly name: string,
    private readonly prepare?: (client: Client) => Promise<void>,
  ) {}

  get held(): boolean {
    return this.holder !== undefined;
  }

  /** The lock's connection while held. */
  get client(): Client {
    if (!this.holder) throw new Error(`The lock ${this.name} is not held`);
    return this.holder;
  }

  /**
   * Takes the lock on a new connection if no other session holds it (this one included: while it is
   * held here, a second try fails). Connection failures are passed to `onError` and count as not taken.
   */
  async tryAcquire(onError?: (error: unknown) => void): Promise<boolean> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [this.name]);
      if (rows[0]?.locked) {
        client.on('end', () => {
          if (this.holder === client) this.holder = undefined;
        });
        await this.prepare?.(client);
        this.holder = client;
        return true;
      }
    } catch (error) {
      onError?.(error);
    }
    await letGo(client);
    return false;
  }

  /** After a failure: if the lock's connection no longer answers, the lock is gone; let it go. Returns whether it is still held. */
  async checkAlive(): Promise<boolean> {
    if (!this.holder) return false;
    try {
      await this.holder.query('SELECT 1');
      return true;
    } catch {
      await this.release();
      return false;
    }
  }

  async release(): Promise<void> {
    const client = this.holder;
    this.holder = undefined;
    if (client) await letGo(client);
  }
}

/** Unlocks before closing, so a standby can take over at once rather than when the server has ended the session. */
async function letGo(client: Client): Promise<void> {
  await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
  await client.end().catch(() => undefined);
}
