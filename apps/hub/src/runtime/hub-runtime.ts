import { Client } from 'pg';
import { ContractRegistry } from '@hub/contracts';
import { Database, type EmbeddedPostgres, installSql, resolveStorageLocation, startEmbeddedPostgres, type StorageLocation, withDatabaseName } from '@hub/database';
import { eventStoreSqlFolder, PostgresEventStore } from '@hub/event-store';
import { IngestPipeline, ingestSqlFolder } from '@hub/ingest';
import { type Clock, systemClock } from '@hub/kernel';
import { outboxSqlFolder } from '@hub/outbox';
import { projectionsSqlFolder } from '@hub/projections';
import { loadMasterKey, PersonalDataVault, securitySqlFolder, TokenService } from '@hub/security';
import { AreaDirectoryRepository, sharingSqlFolder } from '@hub/sharing';
import { createLogger, type Logger } from './logger';

export interface HubRuntimeOptions {
  readonly location?: StorageLocation;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly masterKey?: Buffer;
  /** Tests run embedded PostgreSQL without fsync. */
  readonly durable?: boolean;
}

/** Every SQL folder the hub installs, in order. Installing is idempotent. */
export const hubSqlFolders = [eventStoreSqlFolder, ingestSqlFolder, securitySqlFolder, sharingSqlFolder, projectionsSqlFolder, outboxSqlFolder];

/** The assembled hub: storage, store, contracts, directory, pipeline and tokens, for the CLI and the server alike. */
export class HubRuntime {
  private constructor(
    readonly database: Database,
    readonly store: PostgresEventStore,
    readonly contracts: ContractRegistry,
    readonly directories: AreaDirectoryRepository,
    readonly pipeline: IngestPipeline,
    readonly tokens: TokenService,
    readonly vault: PersonalDataVault,
    readonly clock: Clock,
    readonly logger: Logger,
    readonly location: StorageLocation,
    private readonly embedded: EmbeddedPostgres | undefined,
  ) {}

  static async open(options: HubRuntimeOptions = {}): Promise<HubRuntime> {
    const location = options.location ?? resolveStorageLocation({});
    const logger = options.logger ?? createLogger();
    const clock = options.clock ?? systemClock;
    let embedded: EmbeddedPostgres | undefined;
    let url: string;
    if (location.kind === 'embedded') {
      embedded = await startEmbeddedPostgres(location.dataDir, {
        durable: options.durable ?? true,
        onLog: (line) => logger.debug({ component: 'postgres' }, line),
      });
      url = await ensureDatabase(embedded.url, 'hub');
      logger.debug({ dataDir: location.dataDir, startedHere: embedded.startedHere }, 'embedded PostgreSQL ready');
    } else {
      url = location.url;
    }
    const database = new Database(url, { max: 20 });
    try {
      await installSql(database, hubSqlFolders);
    } catch (error) {
      await database.close();
      await embedded?.stop();
      throw error;
    }
    const masterKey = options.masterKey ?? (await loadMasterKey(location.kind === 'embedded' ? { dataDir: location.dataDir } : {}));
    const store = new PostgresEventStore(database);
    const contracts = ContractRegistry.load();
    const directories = new AreaDirectoryRepository(store, database);
    const vault = new PersonalDataVault(database, masterKey);
    const pipeline = new IngestPipeline(database, store, contracts, directories, vault, clock);
    const tokens = new TokenService(database, masterKey, clock);
    return new HubRuntime(database, store, contracts, directories, pipeline, tokens, vault, clock, logger, location, embedded);
  }

  async close(): Promise<void> {
    await this.database.close();
    await this.embedded?.stop();
  }
}

/** The embedded cluster's `hub` database, made on first start. */
async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${name}`).catch((error: { code?: string }) => {
      if (error.code !== '42P04') throw error; // created concurrently by another process
    });
  } finally {
    await client.end();
  }
  return withDatabaseName(serverUrl, name);
}
