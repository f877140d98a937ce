import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Clock } from '@hub/kernel';
import { createTestDatabase, type TestDatabase } from '@hub/testing';
import { HubRuntime, InitAreaCommand, InitAreaHandler } from '@hub/hub';
import pino from 'pino';
import { areaFile } from './kafka-scenario';

export interface TestHub {
  readonly hub: HubRuntime;
  readonly db: TestDatabase;
  close(): Promise<void>;
}

/** A hub runtime in this process on a fresh test database, with the shared scenario's area loaded. */
export async function openTestHub(options: { clock?: Clock; prefix?: string } = {}): Promise<TestHub> {
  const db = await createTestDatabase(options.prefix ?? 'hub_test');
  const hub = await HubRuntime.open({
    location: { kind: 'server', url: db.url }, masterKey: randomBytes(32), logger: pino({ level: process.env.HUB_TEST_LOG_LEVEL ?? 'silent' }, pino.destination(2)),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await new InitAreaHandler(hub).execute(new InitAreaCommand(JSON.parse(readFileSync(areaFile, 'utf8')), 'test'));
  return {
    hub, db,
    close: async () => {
      await hub.close();
      await db.drop();
    },
  };
}
