import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { simulate } from '@hub/simulation';
import type { BenchContext, BenchFigure } from '../bench-context';
import { repoRoot, runHubCommand, startHubServe } from '../support/hub-process';

const eventsPerRequest = 100;
const connections = 8;

/**
 * Issue 9: `POST /v1/events` under load from `autocannon`, against `hub serve` as a process of its
 * own: agencies publish batches of 100 simulated events (each batch from one agency, signed in with
 * that agency's token), 8 connections at once. Throughput in events/s and request latency, then a
 * check that the store holds every event exactly once.
 */
export async function httpIngest(context: BenchContext, events = 60_000): Promise<BenchFigure[]> {
  const areaFile = join(repoRoot, 'deploy', 'demo', 'area.json');
  const area = JSON.parse(readFileSync(areaFile, 'utf8')) as AreaConfig;
  const storage = { databaseUrl: await context.freshDatabase('bench_http'), masterKey: Buffer.alloc(32, 4) };
  await runHubCommand(storage, ['init', '--config', areaFile]);
  const batches = batchesByAgency(simulate({ area, people: Math.ceil(events / 3), seed: 'bench-http', from: '2025-01-01', months: 12 }), events);
  const tokens = new Map<string, string>();
  for (const agency of new Set(batches.map((b) => b.agency))) tokens.set(agency, (await runHubCommand(storage, ['token', '--agency', agency])).stdout.trim());
  const port = 38_000 + Math.floor(Math.random() * 1000);
  const hub = await startHubServe(storage, port, { HUB_ROLE: 'api' });
  let result: autocannon.Result;
  try {
    let next = 0;
    result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections,
      amount: batches.length,
      timeout: 60,
      requests: [{
        method: 'POST',
        path: '/v1/events',
        setupRequest: (request) => {
          const batch = batches[next++ % batches.length]!;
          return {
            ...request,
            headers: { authorization: `Bearer ${tokens.get(batch.agency)!}`, 'content-type': 'application/cloudevents-batch+json' },
            body: batch.body,
          };
        },
      }],
    });
  } finally {
    await hub.stop();
  }
  const stored = await countEvents(storage.databaseUrl);
  const sent = batches.reduce((sum, b) => sum + b.count, 0);
  const seconds = result.duration;
  const rate = Math.round(stored / seconds);
  return [
    {
      name: 'HTTP ingest (POST /v1/events, batches of 100)', value: rate, unit: 'events/s',
      note: `${connections} connections, ${result.requests.total} requests, ${stored} of ${sent} stored, ${result.non2xx} non-2xx, ${result.errors} errors`,
    },
    { name: 'HTTP ingest request latency, p50', value: result.latency.p50, unit: 'ms' },
    { name: 'HTTP ingest request latency, p99', value: result.latency.p99, unit: 'ms' },
  ];
}

function batchesByAgency(events: Iterable<CloudEvent>, count: number): { agency: string; count: number; body: string }[] {
  const open = new Map<string, CloudEvent[]>();
  const batches: { agency: string; count: number; body: string }[] = [];
  const close = (agency: string, items: CloudEvent[]) => batches.push({ agency, count: items.length, body: JSON.stringify(items) });
  let n = 0;
  for (const event of events) {
    if (n++ >= count) break;
    const agency = event.source.replace(/^agency:/, '');
    const items = open.get(agency) ?? [];
    items.push(event);
    open.set(agency, items);
    if (items.length === eventsPerRequest) {
      close(agency, items);
      open.delete(agency);
    }
  }
  for (const [agency, items] of open) close(agency, items);
  return batches;
}

async function countEvents(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM event_store.events WHERE source LIKE 'agency:%'`)).rows[0]!.n);
  } finally {
    await client.end();
  }
}
