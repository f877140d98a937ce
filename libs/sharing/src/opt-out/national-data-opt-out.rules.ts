import { type Agency, isValidNhsNumber, type LocalDate, type Purpose } from '@hub/kernel';
import { activeClauses, type PolicyAgreement } from '../policy/agreement-clauses';

/**
 * The National Data Opt-out (BRIEF, "Data sharing"): NHS confidential patient information is not
 * used beyond individual care for people who opted out. In the hub that means: data provided by an
 * NHS body about a person on the register is left out of `aggregate-reporting` outputs, where the
 * agreement governing that reporting respects the opt-out. Direct care (continuity-of-care) and
 * safeguarding (near-miss alerting, DRD review) are not affected.
 */
export const optOutPurposes: readonly Purpose[] = ['aggregate-reporting'];

/** An NHS body: an agency of kind `nhs`, or one marked `nhsBody` (e.g. a treatment service run by an NHS trust). */
export function isNhsBody(agency: Pick<Agency, 'kind' | 'nhsBody'>): boolean {
  return agency.kind === 'nhs' || agency.nhsBody === true;
}

export interface OptOutScope {
  readonly purpose: Purpose;
  /** The day of the read, in Europe/London: agreements are those active that day. */
  readonly on: LocalDate;
  /** The agency reading the output, or undefined for the hub's operator (every clause of the purpose counts). */
  readonly recipient?: string;
}

/**
 * The NHS bodies whose data must be left out for opted-out people in this output: for an opt-out
 * purpose, each NHS body named as a provider by an active clause of that purpose (for that
 * recipient, when there is one) whose agreement says `respectsNationalDataOptOut`. Empty for any
 * other purpose.
 */
export function optOutProviders(agencies: Iterable<Agency>, agreements: readonly PolicyAgreement[], scope: OptOutScope): string[] {
  if (!optOutPurposes.includes(scope.purpose)) return [];
  const governing = activeClauses(agreements, scope.on).filter((clause) =>
    clause.terms.purpose === scope.purpose && clause.agreement.respectsNationalDataOptOut
    && (scope.recipient === undefined || clause.terms.recipients.includes(scope.recipient)));
  return [...agencies]
    .filter((agency) => isNhsBody(agency) && governing.some((clause) => clause.terms.providers.includes(agency.id)))
    .map((agency) => agency.id)
    .sort();
}

/** One line of an opt-out file that is not an NHS number; the number is never echoed in full. */
export interface OptOutLineError {
  readonly line: number;
  readonly message: string;
}

export interface OptOutFile {
  /** Distinct valid NHS numbers, digits only, in file order. */
  readonly nhsNumbers: readonly string[];
  /** Lines holding an NHS number (repeats included). */
  readonly lines: number;
  readonly errors: readonly OptOutLineError[];
}

/**
 * The register file (`hub opt-out import FILE`): one NHS number per line (spaces inside it are
 * ignored, e.g. `943 476 5919`), `#` starts a comment (whole line or after the number), blank lines
 * are skipped. Each number must be 10 digits with a valid modulus-11 check digit. A bad line is
 * reported by its number with a masked form of what it held (first three characters), never in full.
 */
export function parseOptOutFile(text: string): OptOutFile {
  const seen = new Set<string>();
  const nhsNumbers: string[] = [];
  const errors: OptOutLineError[] = [];
  let lines = 0;
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, index) => {
    const content = raw.replace(/#.*$/, '').trim();
    if (content === '') return;
    lines += 1;
    const line = index + 1;
    const digits = content.replace(/\s+/g, '');
    if (!/^\d+$/.test(digits)) {
      errors.push({ line, message: `line ${line}: ${masked(digits)} is not an NHS number (digits only, 10 of them)` });
    } else if (digits.length !== 10) {
      errors.push({ line, message: `line ${line}: ${masked(digits)} has ${digits.length} digits, not 10` });
    } else if (!isValidNhsNumber(digits)) {
      errors.push({ line, message: `line ${line}: ${masked(digits)} fails the NHS number check digit` });
    } else if (!seen.has(digits)) {
      seen.add(digits);
      nhsNumbers.push(digits);
    }
  });
  return { nhsNumbers, lines, errors };
}

/** What a message may show of a value that could be an NHS number: its first three characters and its length. */
export function masked(value: string): string {
  return JSON.stringify(value.length <= 3 ? '*'.repeat(value.length) : `${value.slice(0, 3)}${'*'.repeat(Math.min(value.length, 20) - 3)}`);
}
