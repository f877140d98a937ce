import { Permutation } from '../random/permutation';
import type { Random } from '../random/random';

const nhsPrefixSpace = 10_000_000;
const nomisLeadingLetters = ['A', 'G'] as const;
const nomisSpace = nomisLeadingLetters.length * 10_000 * 26 * 26;
const crnSpace = 26 * 1_000_000;
const pncSerialSpace = 10_000_000;
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The PNC / CRO check letter alphabet (no I, O or S), indexed by the number modulo 23. */
const pncCheckLetters = 'ZABCDEFGHJKLMNPQRTUVWXY';

/**
 * Makes each person's identifiers from their index through seeded bijections, so identifiers
 * are unique across people by construction and valid per SPEC section 2.
 */
export class IdentifierFactory {
  private readonly nhs: Permutation;
  private readonly nomis: Permutation;
  private readonly crn: Permutation;
  private readonly pnc: Permutation;
  private readonly caseRefs: Permutation;
  private readonly clientIdSpace: number;
  private readonly clientIds = new Map<string, Permutation>();

  constructor(private readonly seed: string, people: number) {
    if (people > nhsPrefixSpace) throw new RangeError(`at most ${nhsPrefixSpace} people can be simulated`);
    this.nhs = new Permutation(nhsPrefixSpace, seed, 'nhs');
    this.nomis = new Permutation(nomisSpace, seed, 'nomis');
    this.crn = new Permutation(crnSpace, seed, 'crn');
    this.pnc = new Permutation(pncSerialSpace, seed, 'pnc');
    this.clientIdSpace = Math.max(1_000_000, 10 ** String(people).length);
    this.caseRefs = new Permutation(this.clientIdSpace, seed, 'case-ref');
  }

  /** `9` + 7 permuted digits + a free digit + the mod-11 check digit. */
  nhsNumber(index: number, random: Random): string {
    const prefix = `9${String(this.nhs.apply(index)).padStart(7, '0')}`;
    let ninth = random.int(0, 9);
    // Exactly one ninth digit gives a check value of 10 (invalid); step past it.
    if (nhsCheckDigit(prefix + ninth) === 10) ninth = (ninth + 1) % 10;
    const body = prefix + ninth;
    return body + nhsCheckDigit(body);
  }

  nomisId(index: number): string {
    let n = this.nomis.apply(index);
    const suffix = letters[n % 26]!;
    n = Math.floor(n / 26);
    const middle = letters[n % 26]!;
    n = Math.floor(n / 26);
    const digits = String(n % 10_000).padStart(4, '0');
    const leading = nomisLeadingLetters[Math.floor(n / 10_000)]!;
    return `${leading}${digits}${middle}${suffix}`;
  }

  deliusCrn(index: number): string {
    const n = this.crn.apply(index);
    return `${letters[Math.floor(n / 1_000_000)]!}${String(n % 1_000_000).padStart(6, '0')}`;
  }

  /** `YYYY/NNNNNNNC` (sometimes `YY/...`), the year of first record and a CRO-style check letter. */
  pncId(index: number, random: Random, latestYear: number): string {
    const year = random.int(1995, latestYear);
    const serial = this.pnc.apply(index);
    const yy = String(year % 100).padStart(2, '0');
    const check = pncCheckLetters[Number(`${yy}${String(serial).padStart(7, '0')}`) % 23]!;
    const yearText = random.chance(0.1) ? yy : String(year);
    return `${yearText}/${serial}${check}`;
  }

  /** A treatment provider's own client id, `<providerId>-<n>`; numbers differ between providers. */
  clientId(providerId: string, index: number): string {
    let permutation = this.clientIds.get(providerId);
    if (!permutation) {
      permutation = new Permutation(this.clientIdSpace, this.seed, 'client', providerId);
      this.clientIds.set(providerId, permutation);
    }
    return `${providerId}-${String(permutation.apply(index)).padStart(6, '0')}`;
  }

  /** A case reference for agencies that hold no national identifier for the person (coroner, police without PNC). */
  caseReference(prefix: string, index: number): string {
    return `${prefix}-${String(this.caseRefs.apply(index)).padStart(6, '0')}`;
  }
}

function nhsCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const remainder = sum % 11;
  return remainder === 0 ? 0 : 11 - remainder;
}
