import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type RejectionCode, rejectionCodes } from '@hub/kernel';
import { findContractsDir } from './contract-files';

/** The fixtures beside one schema, e.g. `events/prison.release.recorded/v1/fixtures`. */
export interface FixtureSet {
  /** The schema's directory relative to `contracts/`, e.g. `events/prison.release.recorded/v1`. */
  readonly schemaDir: string;
  readonly valid: readonly Fixture[];
  readonly invalid: readonly InvalidFixture[];
}

export interface Fixture {
  readonly file: string;
  readonly document: unknown;
}

export interface InvalidFixture extends Fixture {
  /** From `fixtures/expected.json`: the rejection this document must get. */
  readonly expected: { readonly code: RejectionCode; readonly pointer: string };
}

/**
 * Every fixture set under `contracts/`, for tests here and in the apps that enforce the contracts.
 * Throws when an invalid fixture and `expected.json` disagree about which files exist.
 */
export function readFixtureSets(contractsDir: string = findContractsDir()): FixtureSet[] {
  return schemaDirsWithFixtures(contractsDir).map((dir) => readFixtureSet(contractsDir, dir));
}

function schemaDirsWithFixtures(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const child = join(dir, entry.name);
    if (existsSync(join(child, 'schema.json')) && existsSync(join(child, 'fixtures'))) found.push(child);
    else found.push(...schemaDirsWithFixtures(child));
  }
  return found.sort();
}

function readFixtureSet(contractsDir: string, schemaDir: string): FixtureSet {
  const fixturesDir = join(schemaDir, 'fixtures');
  const files = readdirSync(fixturesDir).filter((file) => file.endsWith('.json') && file !== 'expected.json').sort();
  const expectations = readJson(join(fixturesDir, 'expected.json')) as Record<string, InvalidFixture['expected']>;
  const read = (file: string) => ({ file: join(fixturesDir, file), document: readJson(join(fixturesDir, file)) });
  const invalidFiles = files.filter((file) => file.startsWith('invalid-'));
  for (const file of Object.keys(expectations)) {
    if (!invalidFiles.includes(file)) throw new Error(`${fixturesDir}/expected.json names ${file}, which is not an invalid fixture there`);
  }
  const invalid = invalidFiles.map((file) => {
    const expected = expectations[file];
    if (expected === undefined) throw new Error(`${fixturesDir}/expected.json has no entry for ${file}`);
    if (!(rejectionCodes as readonly string[]).includes(expected.code) || typeof expected.pointer !== 'string') {
      throw new Error(`${fixturesDir}/expected.json: ${file} needs a rejection code and a pointer`);
    }
    return { ...read(file), expected };
  });
  const valid = files.filter((file) => file.startsWith('valid-')).map(read);
  return { schemaDir: relative(contractsDir, schemaDir), valid, invalid };
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}
