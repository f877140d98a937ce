// Envelope + data validations per second for a typical event, on one core. Run after a build:
//   npx tsc -b tsconfig.build.json && node libs/contracts/scripts/measure-throughput.js
// A measurement to report, not a test: timings depend on the machine.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { ContractRegistry, findContractsDir } = require('../dist');

const registry = ContractRegistry.load();
const fixture = (type) => JSON.parse(readFileSync(join(findContractsDir(), 'events', type, 'v1', 'fixtures', 'valid-with-referral.json'), 'utf8'));
const event = fixture('prison.release.recorded');

function validateOnce(candidate) {
  const violations = registry.validateEnvelope(candidate);
  return violations.length > 0 ? violations : registry.validateData(candidate.type, candidate.data);
}

function measure(label, candidates, seconds) {
  let count = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 10_000; i++) {
      if (validateOnce(candidates[i % candidates.length]).length !== 0) throw new Error('a valid event failed validation');
      count++;
    }
  }
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${label}: ${Math.round(count / elapsedSeconds).toLocaleString('en-GB')} validations/s`);
}

measure('warm-up', [event], 1);
measure('prison.release.recorded.v1 (same object)', [event], 3);
// Distinct objects, as ingest would see after JSON.parse of each message.
const distinct = Array.from({ length: 1000 }, (_, i) => ({ ...structuredClone(event), id: `bench-${i}` }));
measure('prison.release.recorded.v1 (1000 distinct objects)', distinct, 3);
const text = JSON.stringify(event);
let parsedCount = 0;
const started = process.hrtime.bigint();
while (Number(process.hrtime.bigint() - started) < 3e9) {
  for (let i = 0; i < 10_000; i++) { validateOnce(JSON.parse(text)); parsedCount++; }
}
console.log(`JSON.parse + validation: ${Math.round(parsedCount / (Number(process.hrtime.bigint() - started) / 1e9)).toLocaleString('en-GB')} /s`);
