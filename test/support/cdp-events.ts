import { createHash } from 'node:crypto';
import type { CloudEvent } from '@hub/kernel';

/** A person as the agencies of the demo area would record them (SPEC section 2). */
export interface TestPerson {
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly sex: 'M' | 'F';
  readonly nhsNumber: string;
  readonly nomisId: string;
  readonly deliusCrn: string;
  readonly pncId: string;
}

/** A valid NHS number (modulus 11) from a 9-digit stem; stems whose check digit would be 10 are skipped. */
export function nhsNumberFrom(stem: number): string {
  for (let s = stem; ; s++) {
    const digits = String(s).padStart(9, '0');
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
    const check = (11 - (sum % 11)) % 11;
    if (check !== 10) return `${digits}${check}`;
  }
}

export function testPerson(n: number, familyName: string, options: Partial<TestPerson> = {}): TestPerson {
  const two = String(n % 100).padStart(2, '0');
  return {
    givenName: ['Ada', 'Ben', 'Cai', 'Dee', 'Eli', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jon'][n % 10]!, familyName,
    dateOfBirth: `19${80 + (n % 15)}-0${1 + (n % 9)}-1${n % 10}`, sex: n % 2 ? 'F' : 'M',
    nhsNumber: nhsNumberFrom(943_476_500 + n * 7), nomisId: `A${String(2000 + n).padStart(4, '0')}BC`, deliusCrn: `X${String(300_000 + n).padStart(6, '0')}`,
    pncId: `20${two}/${100_000 + n}A`, ...options,
  };
}

/** Agency ids and codes of the demo area (`deploy/demo/area.json`, the same as the shared scenarios' area). */
export const agencies = {
  prison: 'prison-hmp-northgate', police: 'police-northshire', probation: 'probation-northshire', ambulance: 'nhs-northshire-ambulance',
  hospital: 'nhs-corbury-hospital', nrp: 'treatment-northshire-recovery', cda: 'treatment-corbury-cgl', coroner: 'coroner-northshire',
  publicHealth: 'la-northshire-public-health', ldis: 'ldis-northshire',
} as const;
export const localAuthorities = { north: 'E06000901', west: 'E06000902', corbury: 'E06000903' } as const;

/**
 * Builds valid CloudEvents for tests and scenario files: ids are stable (named by a prefix and a
 * counter), `time` is the business moment unless told (publication can be late).
 */
export class CdpEvents {
  private count = 0;
  constructor(private readonly prefix: string) {}

  private event(source: string, type: string, subject: string, time: string, data: Record<string, unknown>): CloudEvent {
    const hex = createHash('sha256').update(`${this.prefix}/${++this.count}`).digest('hex');
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    return { specversion: '1.0', id, source: `agency:${source}`, type, subject, time: new Date(time).toISOString().replace('.000Z', 'Z'), datacontenttype: 'application/json', data };
  }

  release(p: TestPerson, releasedOn: string, options: { recordId?: string; referral?: { providerId: string; referredOn: string } | null; releaseType?: string; treatmentNeed?: boolean; time?: string; destinationLocalAuthority?: string } = {}) {
    return this.event(agencies.prison, 'prison.release.recorded.v1', p.nomisId, options.time ?? `${releasedOn}T09:00:00Z`, {
      recordId: options.recordId ?? `REL-${p.nomisId}-${releasedOn}`, person: prisonPerson(p), releasedOn, prisonId: 'NGI',
      releaseType: options.releaseType ?? 'licence', destinationLocalAuthority: options.destinationLocalAuthority ?? localAuthorities.north,
      treatmentNeed: options.treatmentNeed ?? true, substanceGroup: 'opiate',
      referral: options.referral === undefined ? { providerId: 'NRP', referredOn: releasedOn } : options.referral, naloxoneIssued: true,
    });
  }

  reception(p: TestPerson, receivedOn: string) {
    return this.event(agencies.prison, 'prison.reception.recorded.v1', p.nomisId, `${receivedOn}T18:00:00Z`, {
      recordId: `REC-${p.nomisId}-${receivedOn}`, person: prisonPerson(p), receivedOn, prisonId: 'NGI', reason: 'recall',
    });
  }

  referral(p: TestPerson, receivedOn: string, provider: 'nrp' | 'cda' = 'nrp') {
    return this.event(agencies[provider], 'treatment.referral.received.v1', `${providerCode(provider)}-${p.familyName}`, `${receivedOn}T10:00:00Z`, {
      recordId: `REF-${p.familyName}-${receivedOn}`, person: treatmentPerson(p), receivedOn, providerId: providerCode(provider), referralSource: 'prison',
    });
  }

  treatmentStarted(p: TestPerson, startedOn: string, options: { provider?: 'nrp' | 'cda'; setting?: string; time?: string } = {}) {
    const provider = options.provider ?? 'nrp';
    return this.event(agencies[provider], 'treatment.started.v1', `${providerCode(provider)}-${p.familyName}`, options.time ?? `${startedOn}T11:00:00Z`, {
      recordId: `TS-${p.familyName}-${startedOn}`, person: treatmentPerson(p), startedOn, providerId: providerCode(provider),
      localAuthority: localAuthorities.north, setting: options.setting ?? 'community', substanceGroup: 'opiate',
    });
  }

  treatmentDischarged(p: TestPerson, dischargedOn: string, reason = 'dropped-out', provider: 'nrp' | 'cda' = 'nrp') {
    return this.event(agencies[provider], 'treatment.discharged.v1', `${providerCode(provider)}-${p.familyName}`, `${dischargedOn}T11:00:00Z`, {
      recordId: `TD-${p.familyName}-${dischargedOn}`, person: treatmentPerson(p), dischargedOn, providerId: providerCode(provider), reason,
    });
  }

  supervisionStarted(p: TestPerson, startedOn: string) {
    return this.event(agencies.probation, 'probation.supervision.started.v1', p.deliusCrn, `${startedOn}T12:00:00Z`, {
      recordId: `SUP-${p.deliusCrn}-${startedOn}`, person: { deliusCrn: p.deliusCrn, givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth },
      startedOn, localAuthority: localAuthorities.north, requirement: 'licence', drugRehabilitationRequirement: false,
    });
  }

  overdose(p: TestPerson, occurredAt: string, options: { recordId?: string; localAuthority?: string; substances?: string[]; time?: string; hospital?: boolean } = {}) {
    const source = options.hospital ? agencies.hospital : agencies.ambulance;
    return this.event(source, 'nhs.non-fatal-overdose.recorded.v1', `NAS-${p.nhsNumber}`, options.time ?? occurredAt, {
      recordId: options.recordId ?? `OD-${p.nhsNumber}-${occurredAt.slice(0, 13)}`, person: { nhsNumber: p.nhsNumber, givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, sex: p.sex },
      occurredAt, localAuthority: options.localAuthority ?? localAuthorities.north, setting: options.hospital ? 'emergency-department' : 'ambulance',
      suspectedSubstances: options.substances ?? ['heroin'], naloxoneAdministered: true,
    });
  }

  drugTest(p: TestPerson, testedAt: string, results: Record<string, 'positive' | 'negative' | 'refused'>) {
    return this.event(agencies.police, 'police.drug-test-on-arrest.recorded.v1', p.pncId, testedAt, {
      recordId: `DTOA-${p.pncId}-${testedAt.slice(0, 10)}`, person: policePerson(p), testedAt, localAuthority: localAuthorities.north, triggerOffence: true,
      results: Object.entries(results).map(([substance, result]) => ({ substance, result })), requiredAssessment: true,
    });
  }

  deathReport(p: TestPerson, diedOn: string, options: { recordId?: string; time?: string } = {}) {
    return this.event(agencies.police, 'police.suspected-drug-death.reported.v1', p.pncId, options.time ?? `${diedOn}T16:00:00Z`, {
      recordId: options.recordId ?? `DRD-${p.pncId}-${diedOn}`, person: policePerson(p), diedOn, localAuthority: localAuthorities.north,
      suspectedSubstances: ['heroin'], circumstances: 'Found unresponsive at home',
    });
  }

  inquest(p: TestPerson, concludedOn: string, drugRelated: boolean) {
    return this.event(agencies.coroner, 'coroner.inquest.concluded.v1', `INQ-${p.familyName}`, `${concludedOn}T15:00:00Z`, {
      recordId: `INQ-${p.familyName}`, person: { givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth },
      concludedOn, drugRelated, substances: drugRelated ? ['heroin'] : [], conclusion: drugRelated ? 'Drug-related death' : 'Natural causes',
    });
  }

  retraction(of: CloudEvent, time: string) {
    const kind = of.type.slice(0, of.type.indexOf('.'));
    return this.event(of.source.replace('agency:', ''), `${kind}.record.retracted.v1`, of.subject, time, {
      recordId: `RTR-${(of.data as { recordId: string }).recordId}`, retractedType: of.type, retractedRecordId: (of.data as { recordId: string }).recordId, reason: 'entered in error',
    });
  }
}

function providerCode(provider: 'nrp' | 'cda'): string {
  return provider === 'nrp' ? 'NRP' : 'CDA';
}

function prisonPerson(p: TestPerson) {
  return { nomisId: p.nomisId, pncId: p.pncId, givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, sex: p.sex };
}

function treatmentPerson(p: TestPerson) {
  return { nhsNumber: p.nhsNumber, givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, sex: p.sex };
}

function policePerson(p: TestPerson) {
  return { pncId: p.pncId, givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, sex: p.sex };
}

/** The agency subjects a person's events were published under: what an identity processor would link. */
export function subjectsOf(events: readonly CloudEvent[], p: TestPerson): { agencyId: string; subject: string }[] {
  const mine = events.filter((e) => JSON.stringify(e.data).includes(p.familyName) || e.subject.includes(p.familyName) || e.subject.includes(p.nhsNumber)
    || [p.nomisId, p.pncId, p.deliusCrn].includes(e.subject));
  return [...new Map(mine.map((e) => [`${e.source}|${e.subject}`, { agencyId: e.source.replace('agency:', ''), subject: e.subject }])).values()];
}
