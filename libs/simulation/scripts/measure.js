#!/usr/bin/env node
// Throughput and peak memory of the simulator:
//   node libs/simulation/scripts/measure.js [people=100000] [months=12] [area.json]
// Run after `npm run build`. Serialises every event (as `hub simulate` would) but writes nothing.
'use strict';
const path = require('node:path');
const { simulate, toNdjsonLine } = require('../dist/index.js');
const area = require(path.resolve(process.argv[4] ?? path.join(__dirname, '../src/test-support/northshire-area.json')));

const people = Number(process.argv[2] ?? 100_000);
const months = Number(process.argv[3] ?? 12);
let peakRss = process.memoryUsage().rss;
let events = 0;
let bytes = 0;
const started = process.hrtime.bigint();
for (const event of simulate({ area, people, seed: 'measure', from: '2025-01-01', months })) {
  bytes += toNdjsonLine(event).length;
  if (++events % 5_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({
  people, months, events, seconds: +seconds.toFixed(2), eventsPerSecond: Math.round(events / seconds),
  ndjsonMegabytes: +(bytes / 1e6).toFixed(1), peakRssMegabytes: Math.round(peakRss / 1e6),
}));
