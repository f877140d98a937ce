import type { ErrorObject } from 'ajv';
import { describeValue } from '@hub/kernel';
import { formatProblems } from './contract-formats';

/** One way a document breaks its contract. */
export interface ContractViolation {
  /** JSON pointer of the offending field, e.g. `/data/person/nhsNumber` (for a missing field: the field it should be). */
  readonly pointer: string;
  /** The offending value; the string `(missing)` when a required field is absent. */
  readonly value: unknown;
  /** The JSON Schema keyword that failed, e.g. `required`, `enum`, `format`. */
  readonly keyword: string;
  /** Human message naming the pointer and the value. */
  readonly message: string;
}

export const missingValue = '(missing)';

/**
 * The error to report: ajv stops at the first failing keyword, except that a failing `anyOf` or
 * `oneOf` also lists what each branch missed. Those branch errors mislead (they name one
 * alternative as if it were required), so the combinator's own error wins.
 */
export function mostSpecificError(errors: readonly ErrorObject[]): ErrorObject {
  const combinators = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf');
  const insideCombinator = (error: ErrorObject) =>
    combinators.some((combinator) => combinator !== error && error.schemaPath.startsWith(`${combinator.schemaPath}/`));
  return errors.find((error) => !insideCombinator(error)) ?? errors[0]!;
}

/** Turns an ajv error (compiled with `verbose`) into a violation; `prefix` places `root` in the envelope, e.g. `/data`. */
export function toViolation(error: ErrorObject, root: unknown, prefix: string): ContractViolation {
  const relativePointer = pointerOf(error);
  const pointer = prefix + relativePointer;
  const where = pointer === '' ? '(root)' : pointer;
  if (error.keyword === 'required') {
    return { pointer, value: missingValue, keyword: error.keyword, message: `${where}: required field is ${missingValue}` };
  }
  const value = valueAt(root, relativePointer);
  return { pointer, value, keyword: error.keyword, message: `${where}: ${describeValue(value)} ${problemOf(error)}` };
}

function pointerOf(error: ErrorObject): string {
  const { keyword, params, instancePath } = error;
  if (keyword === 'required') return `${instancePath}/${escapePointerToken(String(params['missingProperty']))}`;
  if (keyword === 'additionalProperties') return `${instancePath}/${escapePointerToken(String(params['additionalProperty']))}`;
  return instancePath;
}

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node: unknown = root;
  for (const token of pointer.slice(1).split('/')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

type SchemaNode = { readonly title?: string; readonly examples?: readonly unknown[] };

function problemOf(error: ErrorObject): string {
  const { keyword, params } = error;
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  switch (keyword) {
    case 'additionalProperties': return 'is not an allowed field';
    case 'type': return `must be ${String(params['type']).split(',').join(' or ')}`;
    case 'const': return `is not ${JSON.stringify(params['allowedValue'])}`;
    case 'enum': return `is not one of ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`;
    case 'format': return formatProblems[String(params['format'])] ?? `is not a valid ${String(params['format'])}`;
    case 'pattern': return patternProblem(parent, String(params['pattern']));
    case 'minLength': return params['limit'] === 1 ? 'must not be empty' : `is shorter than ${params['limit']} characters`;
    case 'maxLength': return `is longer than ${params['limit']} characters`;
    case 'minItems': return `must have at least ${params['limit']} item(s)`;
    case 'maxItems': return `has more than ${params['limit']} items`;
    case 'uniqueItems': return `repeats an item (items ${params['j']} and ${params['i']} are equal)`;
    case 'minimum': case 'maximum': return `must be ${params['comparison']} ${params['limit']}`;
    case 'anyOf': return anyOfProblem(error.schema) ?? 'matches none of the allowed shapes';
    default: return error.message ?? `fails ${keyword}`;
  }
}

function patternProblem(parent: SchemaNode, pattern: string): string {
  if (parent.title === undefined) return `does not match ${pattern}`;
  const example = parent.examples?.[0];
  return `is not a valid ${parent.title} (${example === undefined ? `pattern ${pattern}` : `e.g. ${String(example)}`})`;
}

/** `anyOf` of `required` alternatives, as the person block uses: "must include a, b, or both c and d". */
function anyOfProblem(branches: unknown): string | undefined {
  if (!Array.isArray(branches)) return undefined;
  const alternatives: string[] = [];
  for (const branch of branches as { required?: unknown }[]) {
    const required = branch.required;
    if (!Array.isArray(required) || Object.keys(branch).length !== 1) return undefined;
    alternatives.push(required.length === 1 ? String(required[0])
      : required.length === 2 ? `both ${required.join(' and ')}` : `all of ${required.join(', ')}`);
  }
  const last = alternatives.pop();
  const listed = alternatives.length === 0 ? last : `${alternatives.join(', ')}, or ${last}`;
  return `must include ${listed}`;
}
