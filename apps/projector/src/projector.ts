import { createServer, type Server } from 'node:http';
import { resolveStorageLocation, type StorageLocation } from '@hub/database';
import { HubRuntime, hubProjections, KafkaWorkers, type KafkaSettings, kafkaSettingsFromEnv, ProjectionEngine } from '@hub/hub';
import type { Projection } from '@hub/projections';
import pino, { type Logger } from 'pino';

export interface ProjectorOptions {
  readonly location: StorageLocation;
  readonly logger: Logger;
  /** Health endpoint (`GET /health`); none when absent. */
  readonly port?: number;
  readonly host?: string;
  /** With Kafka settings the projector also relays the outbox to the outbound topics. */
  readonly kafka?: KafkaSettings;
  /** The projections to keep (default: the hub's, `hubProjections`). */
  readonly projections?: (hub: HubRuntime) => Projection[];
  readonly engine?: { readonly idlePollMs?: number; readonly batchSize?: number };
}

export interface ProjectorStatus {
  readonly status: 'ok' | 'unavailable';
  readonly database: 'up' | 'down';
  /** Projections this process leads (the others are led by another projector: this one stands by). */
  readonly projections: readonly { name: string; leader: boolean }[];
  readonly outboxRelay: 'leader' | 'standby' | 'off';
}

export interface RunningProjector {
  readonly hub: HubRuntime;
  status(): Promise<ProjectorStatus>;
  stop(): Promise<void>;
}

/**
 * Server mode's worker: every projection (one active runner per projection across all
 * projectors: a session advisory lock; a standby takes over when the leader's connection goes),
 * and, with Kafka, the outbox relay (also one active instance). Runs no API and no inbound
 * consumer: those scale with the API processes (`hub serve`, HUB_ROLE=api).
 */
export async function startProjector(options: ProjectorOptions): Promise<RunningProjector> {
  const { logger } = options;
  const hub = await HubRuntime.open({ location: options.location, logger });
  const projections = (options.projections ?? hubProjections)(hub);
  const engine = new ProjectionEngine(hub, projections, { idlePollMs: 250, ...options.engine });
  await engine.startLive();
  const workers = options.kafka ? new KafkaWorkers(hub, options.kafka) : undefined;
  workers?.start({ inbound: false, relay: true });

  const status = async (): Promise<ProjectorStatus> => {
    const database = await hub.database.query('SELECT 1').then(() => 'up' as const, () => 'down' as const);
    const relay = workers === undefined ? 'off' : workers.relayIsLeader ? 'leader' : 'standby';
    return { status: database === 'up' ? 'ok' : 'unavailable', database, projections: engine.leadership(), outboxRelay: relay };
  };
  const server = options.port === undefined ? undefined : await listen(options.port, options.host ?? '0.0.0.0', status);
  logger.info({ projections: projections.map((p) => p.name), outboxRelay: workers !== undefined, port: options.port }, 'projector started');

  return {
    hub, status,
    stop: async () => {
      logger.info('projector stopping');
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await workers?.stop();
      await engine.stop();
      await hub.close();
    },
  };
}

/** The projector's settings from the environment (the same variables as `hub serve`, plus PROJECTOR_PORT). */
export function projectorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ProjectorOptions {
  const logger = pino({ level: env.HUB_LOG_LEVEL || 'info', base: { service: 'cdp-hub-projector' } }, pino.destination({ dest: 2, sync: true }));
  const port = env.PROJECTOR_PORT ? Number(env.PROJECTOR_PORT) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new Error(`PROJECTOR_PORT: ${JSON.stringify(env.PROJECTOR_PORT)} is not a port`);
  const kafka = kafkaSettingsFromEnv(env);
  return {
    location: resolveStorageLocation({}, env), logger,
    ...(port === undefined ? {} : { port }),
    ...(env.PROJECTOR_HOST ? { host: env.PROJECTOR_HOST } : {}),
    ...(kafka ? { kafka } : {}),
  };
}

function listen(port: number, host: string, status: () => Promise<ProjectorStatus>): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/health') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
      return;
    }
    status().then((body) => {
      response.writeHead(body.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }, () => response.writeHead(503).end());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
