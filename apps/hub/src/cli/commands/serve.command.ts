import type { Command } from 'commander';
import { resolveStorageLocation } from '@hub/database';
import { IngestEventsCommand } from '@hub/ingest';
import { addDays, type AreaConfig, londonDateOf } from '@hub/kernel';
import { simulate } from '@hub/simulation';
import { createHttpServer } from '../../http/http-server';
import { HubRuntime } from '../../runtime/hub-runtime';
import { createLogger } from '../../runtime/logger';
import { hubProjections } from '../../runtime/hub-projections';
import { KafkaWorkers, kafkaSettingsFromEnv } from '../../runtime/kafka-mode';
import { ProjectionEngine } from '../../runtime/projection-engine';
import { InitAreaCommand } from '../../use-cases/init-area/init-area.command';
import { IssueTokenCommand } from '../../use-cases/issue-token/issue-token.command';
import { CommandBus } from '@nestjs/cqrs';
import type { StorageFlags } from '../hub-context';
import { readJsonFile } from './init.command';
import { demoAreaFile, positiveInteger } from './simulate.command';

const demoPeople = 3000;
const demoViewer = 'treatment-northshire-recovery';

export function registerServe(program: Command, flags: () => StorageFlags): void {
  program
    .command('serve')
    .description('run the API and dashboard (and, unless HUB_ROLE=api, the projections); with KAFKA_BROKERS, consume the inbound topics')
    .option('--port <port>', 'port to listen on', positiveInteger('--port'), 3000)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--demo', 'load the demo area and a simulated year of events when the hub is empty')
    .action(async (options: { port: number; host: string; demo?: boolean }) => {
      const logger = createLogger(flags().logLevel ?? process.env.HUB_LOG_LEVEL ?? 'info');
      const hub = await HubRuntime.open({ location: resolveStorageLocation(flags()), logger });
      const app = await createHttpServer(hub);
      const commands = app.get(CommandBus);
      if (options.demo) await loadDemo(hub, commands);
      // HUB_ROLE=api: the API (HTTP and, with KAFKA_BROKERS, the inbound consumer) only; the
      // projector (apps/projector) keeps the read models and relays the outbox.
      const apiOnly = process.env.HUB_ROLE === 'api';
      const engine = apiOnly ? undefined : new ProjectionEngine(hub, hubProjections(hub), { idlePollMs: 250 });
      await engine?.startLive();
      const kafka = kafkaSettingsFromEnv();
      const workers = kafka ? new KafkaWorkers(hub, kafka) : undefined;
      workers?.start({ inbound: true, relay: !apiOnly });
      await app.listen(options.port, options.host);
      const url = `http://${options.host}:${options.port}`;
      const token = await commands.execute(new IssueTokenCommand(demoViewer, 8 * 3600)).catch(() => undefined);
      process.stdout.write(banner(url, token));
      const shutdown = async (): Promise<void> => {
        logger.info('shutting down');
        await app.close();
        await workers?.stop();
        await engine?.stop();
        await hub.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
    });
}

/** On an empty hub: the demo area, then a simulated year of events ending today. */
async function loadDemo(hub: HubRuntime, commands: CommandBus): Promise<void> {
  const area = (await readJsonFile(demoAreaFile, 'demo area')) as AreaConfig;
  await commands.execute(new InitAreaCommand(area, 'demo'));
  const { rows } = await hub.database.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM event_store.events WHERE source LIKE 'agency:%') AS any`);
  if (rows[0]?.any) return;
  // A year ending today, so some releases are still inside their 21-day window.
  const today = londonDateOf(hub.clock.now());
  const from = addDays(today, -364);
  hub.logger.info({ people: demoPeople, from }, 'loading a simulated year of demo events');
  let batch = [];
  for (const event of simulate({ area, people: demoPeople, seed: 'demo', from, months: 12 })) {
    if (event.time > hub.clock.now().toISOString()) continue;
    batch.push({ kind: 'parsed' as const, value: event });
    if (batch.length === 1000) {
      await commands.execute(new IngestEventsCommand(batch, { channel: 'cli' }));
      batch = [];
    }
  }
  await commands.execute(new IngestEventsCommand(batch, { channel: 'cli' }));
}

function banner(url: string, token: string | undefined): string {
  return [
    '',
    'cdp-hub is running',
    `  dashboard   ${url}/`,
    `  API docs    ${url}/docs`,
    `  health      ${url}/health`,
    token ? `  token       (${demoViewer}, 8 hours)\n              ${token}` : '',
    '',
    `  try: curl -H "Authorization: Bearer <token>" ${url}/health`,
    '',
  ].join('\n');
}
