/** The person block inside every person-level `data` (SPEC section 2). All fields optional. */
export interface PersonBlock {
  readonly nhsNumber?: string;
  readonly pncId?: string;
  readonly nomisId?: string;
  readonly deliusCrn?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly dateOfBirth?: string;
  readonly sex?: Sex;
  readonly postcodeDistrict?: string;
}

export type Sex = 'M' | 'F' | 'X' | 'U';

/** NHS number: 10 digits, the tenth a modulus-11 check digit; a check of 10 is invalid. */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/\s+/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const remainder = sum % 11;
  const check = remainder === 0 ? 0 : 11 - remainder;
  return check !== 10 && check === Number(digits[9]);
}

export const nomisIdPattern = /^[A-Z]\d{4}[A-Z]{2}$/;
export const deliusCrnPattern = /^[A-Z]\d{6}$/;
export const pncIdPattern = /^\d{2}(\d{2})?\/\d{1,7}[A-Z]$/;
