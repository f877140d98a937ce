import {
  agencyIdOfSource, deliusCrnPattern, isAgencyEventType, isFactEventType, isRealDate, isValidNhsNumber, nomisIdPattern,
  pncIdPattern, publisherKindOf, type AreaConfig, type CloudEvent,
} from '@hub/kernel';

/**
 * An independent reading of SPEC sections 1-3, for checking generated events: the envelope,
 * the person block and each catalogue type's data fields (all required, no others).
 * Returns the problems found, each naming the JSON pointer and the value.
 */
type Check = (value: unknown) => boolean;

const isString: Check = (v) => typeof v === 'string' && v.length > 0;
const isBoolean: Check = (v) => typeof v === 'boolean';
const isDate: Check = (v) => typeof v === 'string' && isRealDate(v);
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isDateTime: Check = (v) => typeof v === 'string' && rfc3339.test(v) && isRealDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v));
const oneOf = (...values: readonly (string | null)[]): Check => (v) => values.includes(v as string | null);
const nullable = (check: Check): Check => (v) => v === null || check(v);
const stringArray: Check = (v) => Array.isArray(v) && v.every(isString);
const substanceGroup = nullable(oneOf('opiate', 'non-opiate-only', 'non-opiate-and-alcohol', 'alcohol-only'));
const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function catalogue(localAuthority: Check): Record<string, Record<string, Check>> {
  const results: Check = (v) => Array.isArray(v) && v.length > 0 && v.every((r) =>
    typeof r === 'object' && r !== null && Object.keys(r).sort().join() === 'result,substance'
    && oneOf('opiates', 'cocaine', 'other')((r as Record<string, unknown>)['substance'])
    && oneOf('positive', 'negative', 'refused')((r as Record<string, unknown>)['result']));
  const referral: Check = (v) => v === null || (typeof v === 'object' && Object.keys(v as object).sort().join() === 'providerId,referredOn'
    && isString((v as Record<string, unknown>)['providerId']) && isDate((v as Record<string, unknown>)['referredOn']));
  return {
    'police.drug-test-on-arrest.recorded.v1': { testedAt: isDateTime, localAuthority, triggerOffence: isBoolean, results, requiredAssessment: isBoolean },
    'police.suspected-drug-death.reported.v1': { diedOn: isDate, localAuthority, suspectedSubstances: stringArray, circumstances: isString },
    'prison.reception.recorded.v1': { receivedOn: isDate, prisonId: isString, reason: oneOf('remand', 'sentenced', 'recall') },
    'prison.release.recorded.v1': {
      releasedOn: isDate, prisonId: isString,
      releaseType: oneOf('licence', 'end-of-sentence', 'remand-ended', 'transfer', 'deportation'),
      destinationLocalAuthority: localAuthority, treatmentNeed: isBoolean, substanceGroup, referral, naloxoneIssued: isBoolean,
    },
    'probation.supervision.started.v1': {
      startedOn: isDate, localAuthority, requirement: oneOf('licence', 'community-order', 'suspended-sentence'),
      drugRehabilitationRequirement: isBoolean,
    },
    'probation.supervision.ended.v1': { endedOn: isDate, reason: isString },
    'treatment.referral.received.v1': {
      receivedOn: isDate, providerId: isString, referralSource: oneOf('prison', 'police', 'probation', 'health', 'self', 'other'),
    },
    'treatment.started.v1': {
      startedOn: isDate, providerId: isString, localAuthority, setting: oneOf('community', 'inpatient', 'residential', 'prison'), substanceGroup,
    },
    'treatment.discharged.v1': {
      dischargedOn: isDate, providerId: isString, reason: oneOf('completed', 'dropped-out', 'transferred', 'custody', 'died', 'other'),
    },
    'nhs.non-fatal-overdose.recorded.v1': {
      occurredAt: isDateTime, localAuthority, setting: oneOf('ambulance', 'emergency-department', 'community'),
      suspectedSubstances: stringArray, naloxoneAdministered: isBoolean,
    },
    'coroner.inquest.concluded.v1': { concludedOn: isDate, drugRelated: isBoolean, substances: stringArray, conclusion: isString },
  };
}

const personChecks: Record<string, Check> = {
  nhsNumber: (v) => typeof v === 'string' && isValidNhsNumber(v),
  pncId: (v) => typeof v === 'string' && pncIdPattern.test(v),
  nomisId: (v) => typeof v === 'string' && nomisIdPattern.test(v),
  deliusCrn: (v) => typeof v === 'string' && deliusCrnPattern.test(v),
  givenName: isString,
  familyName: isString,
  dateOfBirth: isDate,
  sex: oneOf('M', 'F', 'X', 'U'),
  postcodeDistrict: (v) => typeof v === 'string' && /^[A-Z]{1,2}\d[A-Z\d]?$/.test(v),
};

export function specProblems(event: CloudEvent, area: AreaConfig): string[] {
  const problems: string[] = [];
  const fail = (pointer: string, value: unknown, why: string) => problems.push(`${pointer} = ${JSON.stringify(value)}: ${why}`);
  const envelopeKeys = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'data'];
  for (const key of Object.keys(event)) if (!envelopeKeys.includes(key)) fail(`/${key}`, (event as unknown as Record<string, unknown>)[key], 'not an envelope field');
  if (event.specversion !== '1.0') fail('/specversion', event.specversion, 'must be 1.0');
  if (!uuidV4.test(event.id)) fail('/id', event.id, 'not a UUID v4');
  if (!isDateTime(event.time)) fail('/time', event.time, 'not RFC 3339');
  if (!isString(event.subject)) fail('/subject', event.subject, 'missing');
  if (event.datacontenttype !== undefined && event.datacontenttype !== 'application/json') fail('/datacontenttype', event.datacontenttype, 'not JSON');
  const agency = area.agencies.find((candidate) => candidate.id === agencyIdOfSource(event.source));
  if (!agency) fail('/source', event.source, 'no such agency');
  if (!isAgencyEventType(event.type)) return [...problems, `/type = ${JSON.stringify(event.type)}: not in the catalogue`];
  if (agency && agency.kind !== publisherKindOf(event.type)) fail('/type', event.type, `not published by a ${agency.kind}`);
  const data = event.data as Record<string, unknown>;
  if (!isString(data['recordId'])) fail('/data/recordId', data['recordId'], 'missing');
  checkPerson(data['person'], fail);
  const codes = area.area.localAuthorities.map((authority) => authority.code);
  const fields: Record<string, Check> = isFactEventType(event.type)
    ? catalogue(oneOf(...codes))[event.type]!
    : { retractedType: (v) => typeof v === 'string' && isFactEventType(v) && publisherKindOf(v) === publisherKindOf(event.type as never), retractedRecordId: isString, reason: isString };
  for (const [field, check] of Object.entries(fields)) {
    if (!(field in data)) fail(`/data/${field}`, undefined, 'required');
    else if (!check(data[field])) fail(`/data/${field}`, data[field], 'invalid');
  }
  for (const field of Object.keys(data)) {
    if (field !== 'recordId' && field !== 'person' && !(field in fields)) fail(`/data/${field}`, data[field], 'not in the catalogue');
  }
  if ('prisonId' in data && agency && data['prisonId'] !== agency.prisonId) fail('/data/prisonId', data['prisonId'], 'not the agency\'s own');
  if ('providerId' in data && agency && data['providerId'] !== agency.providerId) fail('/data/providerId', data['providerId'], 'not the agency\'s own');
  return problems;
}

function checkPerson(person: unknown, fail: (pointer: string, value: unknown, why: string) => void): void {
  if (typeof person !== 'object' || person === null) return fail('/data/person', person, 'required object');
  const block = person as Record<string, unknown>;
  for (const [key, value] of Object.entries(block)) {
    const check = personChecks[key];
    if (!check) fail(`/data/person/${key}`, value, 'not a person field');
    else if (!check(value)) fail(`/data/person/${key}`, value, 'invalid');
  }
  const identified = ['nhsNumber', 'pncId', 'nomisId', 'deliusCrn'].some((key) => key in block)
    || ('familyName' in block && 'dateOfBirth' in block);
  if (!identified) fail('/data/person', block, 'needs an identifier or familyName and dateOfBirth');
}
