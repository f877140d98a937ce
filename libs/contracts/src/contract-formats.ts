import type { Format } from 'ajv';
import { deliusCrnPattern, isRealDate, isValidNhsNumber, nomisIdPattern, pncIdPattern } from '@hub/kernel';

// RFC 3339 section 5.6: a `T` (or `t`) separator and a mandatory offset. The space separator the
// RFC's note permits is refused: several consumers' date parsers do not accept it.
const rfc3339DateTime = /^(\d{4}-\d{2}-\d{2})[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function isRfc3339DateTime(value: string): boolean {
  const match = rfc3339DateTime.exec(value);
  return match !== null && isRealDate(match[1]!);
}

/** The `format` names the contracts use, each backed by the kernel's own rule. */
export const contractFormats: Readonly<Record<string, Format>> = {
  date: { type: 'string', validate: isRealDate },
  'date-time': { type: 'string', validate: isRfc3339DateTime },
  'nhs-number': { type: 'string', validate: isValidNhsNumber },
  'nomis-id': { type: 'string', validate: (value: string) => nomisIdPattern.test(value) },
  'delius-crn': { type: 'string', validate: (value: string) => deliusCrnPattern.test(value) },
  'pnc-id': { type: 'string', validate: (value: string) => pncIdPattern.test(value) },
};

/** What is wrong with a value that fails a format, for the violation message. */
export const formatProblems: Readonly<Record<string, string>> = {
  date: 'is not a real date (YYYY-MM-DD)',
  'date-time': 'is not an RFC 3339 date-time with offset (e.g. 2026-03-02T09:00:00Z)',
  'nhs-number': 'is not a valid NHS number (mod-11 check digit)',
  'nomis-id': 'is not a valid NOMIS number (e.g. A1234BC)',
  'delius-crn': 'is not a valid Delius CRN (e.g. X123456)',
  'pnc-id': 'is not a valid PNC ID (e.g. 2012/394773H)',
};
