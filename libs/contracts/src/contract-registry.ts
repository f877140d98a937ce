import Ajv, { type ValidateFunction } from 'ajv';
import { contractFormats } from './contract-formats';
import { type ContractFiles, findContractsDir, type JsonSchema, readContractFiles } from './contract-files';
import { type ContractViolation, mostSpecificError, toViolation } from './contract-violation';

interface DataContract {
  readonly schema: JsonSchema;
  readonly validate: ValidateFunction;
}

/**
 * The contracts of `contracts/`, compiled once. Each `validate*` returns `[]` when the document
 * holds to its contract, else the first, most specific violation.
 */
export class ContractRegistry {
  /** Every event type with a data schema, sorted. */
  readonly eventTypes: readonly string[];

  private constructor(
    private readonly envelope: ValidateFunction,
    private readonly areaConfig: ValidateFunction,
    private readonly data: ReadonlyMap<string, DataContract>,
  ) {
    this.eventTypes = Object.freeze([...data.keys()].sort());
  }

  /** Loads and compiles every schema; by default the repository's `contracts/` directory. */
  static load(contractsDir: string = findContractsDir()): ContractRegistry {
    const files = readContractFiles(contractsDir);
    const ajv = newAjv(files);
    const data = new Map<string, DataContract>();
    for (const [type, schema] of files.events) data.set(type, { schema, validate: ajv.compile(schema) });
    return new ContractRegistry(ajv.compile(files.envelope), ajv.compile(files.areaConfig), data);
  }

  /** The CloudEvents envelope; `data` only has to be an object here (see validateData). */
  validateEnvelope(event: unknown): ContractViolation[] {
    return check(this.envelope, event, '');
  }

  hasDataSchema(type: string): boolean {
    return this.data.has(type);
  }

  /** The `data` of an event of `type`; pointers start with `/data`. Throws when the type has no schema: ask hasDataSchema first. */
  validateData(type: string, data: unknown): ContractViolation[] {
    return check(this.contractOf(type).validate, data, '/data');
  }

  validateAreaConfig(config: unknown): ContractViolation[] {
    return check(this.areaConfig, config, '');
  }

  /** The data schema of `type` as written (a copy; `$ref`s stay relative to its `$id`). */
  schemaOf(type: string): object {
    return structuredClone(this.contractOf(type).schema);
  }

  private contractOf(type: string): DataContract {
    const contract = this.data.get(type);
    if (contract === undefined) throw new Error(`No data schema for event type ${JSON.stringify(type)}`);
    return contract;
  }
}

function newAjv(files: ContractFiles): Ajv {
  const ajv = new Ajv({
    allErrors: false, // stop at the first error: faster, and one clear message is what a publisher needs
    verbose: true, // errors carry their schema, which the messages are written from
    strict: true,
    strictRequired: false, // the person block's anyOf names properties declared beside it, not in each branch
    allowUnionTypes: true, // nullable fields: ["string", "null"]
    formats: { ...contractFormats },
  });
  ajv.addSchema(files.common).addSchema(files.person);
  return ajv;
}

function check(validate: ValidateFunction, value: unknown, prefix: string): ContractViolation[] {
  if (validate(value)) return [];
  return [toViolation(mostSpecificError(validate.errors ?? []), value, prefix)];
}
