import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Database, withDatabaseName } from '@hub/database';

export interface TestDatabase {
  readonly database: Database;
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** The test run's PostgreSQL server (started by the Jest global setup). */
export function testServerUrl(): string {
  const url = process.env.HUB_TEST_SERVER_URL;
  if (!url) throw new Error('No test PostgreSQL: HUB_TEST_SERVER_URL is unset (is the Jest global setup configured for this project?)');
  return url;
}

/** A fresh, empty database for one test file; drop it in afterAll. */
export async function createTestDatabase(prefix = 'hub_test'): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabaseName(serverUrl, name);
  const database = new Database(url, { max: 20 });
  return {
    database, url, name,
    drop: async () => {
      await database.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
