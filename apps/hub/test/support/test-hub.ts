import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AreaConfig, Clock, CloudEvent } from '@hub/kernel';
import { IdentityQueries } from '@hub/identity';
import { createTestDatabase, type TestDatabase, waitFor } from '@hub/testing';
import type { IngestOutcome } from '@hub/ingest';
import { HubRuntime } from '../../src/runtime/hub-runtime';
import { createLogger } from '../../src/runtime/logger';
import { hubProjections } from '../../src/runtime/hub-projections';
import { ProjectionEngine } from '../../src/runtime/projection-engine';
import { InitAreaHandler } from '../../src/use-cases/init-area/init-area.handler';
import { InitAreaCommand } from '../../src/use-cases/init-area/init-area.command';

export const demoArea = JSON.parse(readFileSync(join(__dirname, '../../../../deploy/demo/area.json'), 'utf8')) as AreaConfig;

export interface TestHub {
  readonly hub: HubRuntime;
  readonly database: TestDatabase;
  readonly engine: ProjectionEngine;
  ingest(events: readonly CloudEvent[]): Promise<IngestOutcome[]>;
  /** The personRef the identity processor linked an event's agency subject to (after a catch-up). */
  personRefOf(event: Pick<CloudEvent, 'source' | 'subject'>): Promise<string | undefined>;
  close(): Promise<void>;
}

/** A hub on its own database of the run's PostgreSQL, with the area loaded; the identity processor links people. */
export async function openTestHub(options: { clock?: Clock; area?: AreaConfig } = {}): Promise<TestHub> {
  const database = await createTestDatabase('hub_alerts');
  const hub = await HubRuntime.open({
    location: { kind: 'server', url: database.url }, masterKey: randomBytes(32), logger: createLogger('silent'),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await new InitAreaHandler(hub).execute(new InitAreaCommand(options.area ?? demoArea, 'test'));
  // The log is read gap-free: while another transaction on the server (another test file's) is in
  // flight, the area's events can be held back for a moment; ingest only once the hub knows its agencies.
  await waitFor(async () => (await hub.directories.current()).agencies.size > 0, { what: 'the area to be readable' });
  const engine = new ProjectionEngine(hub, hubProjections(hub), { idlePollMs: 50, tickIntervalMs: 50 });
  return {
    hub, database, engine,
    ingest: (events) => hub.pipeline.ingest(events.map((value) => ({ kind: 'parsed' as const, value })), { channel: 'cli' }),
    personRefOf: async (event) => new IdentityQueries(hub.database).personOfSubject(hub.vault.streamIdFor(event.source.replace(/^agency:/, ''), event.subject)),
    close: async () => {
      await engine.stop();
      await hub.close();
      await database.drop();
    },
  };
}
