import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A JSON Schema as read from `contracts/`. */
export type JsonSchema = { readonly $id?: string } & Record<string, unknown>;

/** The schemas under a contracts directory. */
export interface ContractFiles {
  readonly common: JsonSchema;
  readonly person: JsonSchema;
  readonly envelope: JsonSchema;
  readonly areaConfig: JsonSchema;
  /** Event type (e.g. `prison.release.recorded.v1`) -> its data schema. */
  readonly events: ReadonlyMap<string, JsonSchema>;
}

const markerFile = join('contracts', 'envelope', 'v1', 'schema.json');

/**
 * The repository's `contracts/` directory, found by walking up from this file: the same answer
 * from `libs/contracts/src` (Jest) and `libs/contracts/dist` (runtime).
 */
export function findContractsDir(startDir: string = __dirname): string {
  for (let dir = startDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, markerFile))) return join(dir, 'contracts');
    if (dirname(dir) === dir) throw new Error(`No ${markerFile} in ${startDir} or any directory above it`);
  }
}

export function readContractFiles(contractsDir: string): ContractFiles {
  return {
    common: readSchema(contractsDir, 'common/v1/schema.json'),
    person: readSchema(contractsDir, 'person/v1/schema.json'),
    envelope: readSchema(contractsDir, 'envelope/v1/schema.json'),
    areaConfig: readSchema(contractsDir, 'area-config/v1/schema.json'),
    events: readEventSchemas(contractsDir),
  };
}

/** `events/<type without version>/v<N>/schema.json` holds the data schema of `<type>.v<N>`. */
function readEventSchemas(contractsDir: string): Map<string, JsonSchema> {
  const events = new Map<string, JsonSchema>();
  const eventsDir = join(contractsDir, 'events');
  for (const name of readdirSync(eventsDir).sort()) {
    for (const version of readdirSync(join(eventsDir, name)).sort()) {
      if (!/^v[1-9][0-9]*$/.test(version)) continue;
      events.set(`${name}.${version}`, readSchema(contractsDir, `events/${name}/${version}/schema.json`));
    }
  }
  return events;
}

/** Reads a schema and checks its `$id` mirrors its path, which the schemas' relative `$ref`s rely on. */
function readSchema(contractsDir: string, relativePath: string): JsonSchema {
  const file = join(contractsDir, relativePath);
  const schema = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
  if (typeof schema.$id !== 'string' || !schema.$id.endsWith(`/contracts/${relativePath}`)) {
    throw new Error(`${file}: $id ${JSON.stringify(schema.$id)} must end with /contracts/${relativePath}`);
  }
  return schema;
}
