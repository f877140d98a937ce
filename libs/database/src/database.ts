import { createHash } from 'node:crypto';
import { Pool, type PoolClient, type PoolConfig, type QueryResultRow, types } from 'pg';
import { InfrastructureError } from '@hub/kernel';

// int8 stays a string from `pg`; callers parse deliberately (positions fit in a number, txids use bigint).
types.setTypeParser(types.builtins.INT8, (value) => value);

/** The subset of a pg client that repositories need, so they run inside or outside a transaction. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string | PreparedStatement, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** A statement that each connection parses once and keeps (`prepared`). */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const preparedNames = new Map<string, string>();

/**
 * A hot statement as a named prepared statement: each connection parses it once and PostgreSQL
 * may keep its plan (after five executions, when a generic plan costs no more than the custom
 * ones; ANALYZE of a table it reads invalidates the plan). The name is a hash of the text, so a
 * statement naming a projection generation's schema is another statement in the next generation.
 * For statements run many times with small inputs, where planning costs as much as executing:
 * the identity processor's lookups of one new event planned in 0.35 ms and ran in 0.32 ms.
 */
export function prepared(text: string): PreparedStatement {
  let name = preparedNames.get(text);
  if (!name) {
    name = `hub_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    preparedNames.set(text, name);
  }
  return { name, text };
}

const retriableSqlStates = new Set(['40001', '40P01', '57P01', '57P03', '08000', '08003', '08006', '53300']);

export function isRetriableSqlError(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code !== undefined && retriableSqlStates.has(code);
}

/** A PostgreSQL connection pool with transactions that retry on serialization failures and deadlocks. */
export class Database implements Queryable {
  readonly pool: Pool;

  constructor(readonly url: string, options: Omit<PoolConfig, 'connectionString'> = {}) {
    this.pool = new Pool({ connectionString: url, max: 10, ...options });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<R extends QueryResultRow = QueryResultRow>(text: string | PreparedStatement, values?: unknown[]) {
    try {
      return await (typeof text === 'string' ? this.pool.query<R>(text, values) : this.pool.query<R>({ ...text, values }));
    } catch (error) {
      throw wrapSqlError(error);
    }
  }

  /**
   * Runs `work` in one transaction; retries it (up to `attempts`) on deadlock or serialization
   * failure. `attempt` (from 1) lets work choose a more cautious path on a retry.
   */
  async transaction<T>(work: (client: PoolClient, attempt: number) => Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect().catch((error: unknown) => {
        throw wrapSqlError(error);
      });
      // The pool listens for errors only on idle clients: a checked-out client whose server goes
      // away (PostgreSQL restarted) emits 'error', which would otherwise crash the process. The
      // failure reaches `work` through its next query; the broken client is discarded on release.
      let broken: Error | undefined;
      const onError = (error: Error) => (broken = error);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(client, attempt);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: string }).code;
        if ((code === '40001' || code === '40P01') && attempt < attempts) continue;
        throw wrapSqlError(error);
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function wrapSqlError(error: unknown): unknown {
  if (error instanceof InfrastructureError) return error;
  const code = (error as { code?: string }).code;
  // Errors with a SQLSTATE that are not about the connection are the caller's to interpret (e.g. unique violations).
  if (code && !isRetriableSqlError(error) && !code.startsWith('08')) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InfrastructureError(`PostgreSQL: ${message}`, isRetriableSqlError(error) || isConnectionError(error), { cause: error });
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EPIPE';
}
