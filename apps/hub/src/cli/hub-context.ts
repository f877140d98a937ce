import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { resolveStorageLocation } from '@hub/database';
import { HubModule } from '../hub.module';
import { HubRuntime } from '../runtime/hub-runtime';
import { createLogger } from '../runtime/logger';
import { NestPinoLogger } from '../runtime/nest-logger';

export interface StorageFlags {
  readonly dataDir?: string;
  readonly databaseUrl?: string;
  readonly logLevel?: string;
}

export interface HubContext {
  readonly hub: HubRuntime;
  readonly commands: CommandBus;
  readonly queries: QueryBus;
  readonly app: INestApplicationContext;
}

/** Opens the hub on the chosen storage (attaching to a running hub's database), runs `work`, closes. */
export async function withHub<T>(flags: StorageFlags, work: (context: HubContext) => Promise<T>): Promise<T> {
  const logger = createLogger(flags.logLevel ?? process.env.HUB_LOG_LEVEL ?? 'warn');
  const hub = await HubRuntime.open({ location: resolveStorageLocation(flags), logger });
  const app = await NestFactory.createApplicationContext(HubModule.forRuntime(hub, { http: false }), { logger: new NestPinoLogger(logger) });
  try {
    return await work({ hub, app, commands: app.get(CommandBus), queries: app.get(QueryBus) });
  } finally {
    await app.close();
    await hub.close();
  }
}
