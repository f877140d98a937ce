import type { ContractRegistry, ContractViolation } from '@hub/contracts';
import {
  type Agency, type CloudEvent, type LocalDate, type Rejection, type RejectionCode,
  agencyIdOfSource, describeValue, isAgencyEventType, publisherKindOf,
} from '@hub/kernel';
import { type AreaDirectory, agreementList, mayPublish } from '@hub/sharing';

export interface CheckDependencies {
  readonly contracts: ContractRegistry;
  readonly directory: AreaDirectory;
  /** The arrival date (Europe/London): agreements must be in effect on it. */
  readonly arrivalDate: LocalDate;
  /** Decisions already made for this directory and date, by agency, type and retracted type (a batch shares them). */
  readonly permissions?: Map<string, ReturnType<typeof mayPublish>>;
}

export type CheckResult = { readonly ok: true; readonly event: CloudEvent; readonly agency: Agency } | { readonly ok: false; readonly rejection: Rejection };

/**
 * Everything about one event except its id's history: contract, source, caller, type ownership,
 * agreements and the agency's own establishment codes. Pure: the caller supplies the directory and date.
 */
export function checkEvent(input: unknown, deps: CheckDependencies, publisher?: string): CheckResult {
  const envelopeViolation = deps.contracts.validateEnvelope(input)[0];
  if (envelopeViolation) return schemaInvalid(envelopeViolation);
  const event = input as CloudEvent;

  const agencyId = agencyIdOfSource(event.source)!;
  const agency = deps.directory.agencies.get(agencyId);
  if (!agency) return reject('UNKNOWN_SOURCE', '/source', `/source: ${describeValue(event.source)} is not an agency of this area`);
  if (publisher !== undefined && publisher !== agencyId) {
    return reject('SOURCE_MISMATCH', '/source', `/source: ${describeValue(event.source)} does not match the publisher, agency ${describeValue(publisher)}`);
  }
  if (!isAgencyEventType(event.type) || !deps.contracts.hasDataSchema(event.type)) {
    return reject('UNKNOWN_TYPE', '/type', `/type: ${describeValue(event.type)} is not in the event catalogue`);
  }
  const owner = publisherKindOf(event.type);
  if (owner !== agency.kind) {
    return reject('NOT_PERMITTED', '/type', `/type: ${describeValue(event.type)} is published by ${owner} agencies; ${agencyId} is a ${agency.kind} agency`);
  }
  const dataViolation = deps.contracts.validateData(event.type, event.data)[0];
  if (dataViolation) return schemaInvalid(dataViolation);

  const retractedType = typeof event.data.retractedType === 'string' ? event.data.retractedType : undefined;
  const permission = publishPermission(deps, agencyId, event.type, retractedType);
  if (!permission.allowed) {
    return reject('NOT_PERMITTED', '/type', `/type: ${describeValue(event.type)} may not be published by ${agencyId}: ${permission.reason}`);
  }
  const establishment = checkOwnEstablishment(event, agency);
  if (establishment) return { ok: false, rejection: establishment };
  return { ok: true, event, agency };
}

function publishPermission(deps: CheckDependencies, provider: string, eventType: string, retractedType: string | undefined): ReturnType<typeof mayPublish> {
  const key = `${provider}\u0000${eventType}\u0000${retractedType ?? ''}`;
  const known = deps.permissions?.get(key);
  if (known) return known;
  const decision = mayPublish(agreementList(deps.directory), { provider, eventType, on: deps.arrivalDate, ...(retractedType ? { retractedType } : {}) });
  deps.permissions?.set(key, decision);
  return decision;
}

/** A top-level `prisonId` or `providerId` must be the publishing agency's own. */
function checkOwnEstablishment(event: CloudEvent, agency: Agency): Rejection | undefined {
  for (const field of ['prisonId', 'providerId'] as const) {
    const value = event.data[field];
    if (value === undefined) continue;
    const own = agency[field];
    if (value !== own) {
      const owned = own === undefined ? `has no ${field} configured` : `is ${describeValue(own)}`;
      return { code: 'NOT_PERMITTED', pointer: `/data/${field}`, message: `/data/${field}: ${describeValue(value)} is not ${agency.id}'s own; its ${field} ${owned}` };
    }
  }
  return undefined;
}

function schemaInvalid(violation: ContractViolation): CheckResult {
  return reject('SCHEMA_INVALID', violation.pointer, violation.message);
}

function reject(code: RejectionCode, pointer: string, message: string): CheckResult {
  return { ok: false, rejection: { code, pointer, message } };
}

/** No event of the catalogue comes near this; deeper input would only exhaust the validators' stacks. */
export const maxNestingDepth = 32;

/** How deep objects and arrays nest in `value`, counted without recursion; stops just past `limit`. */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, level]);
  }
  return deepest;
}
