import { cyrb128 } from './random';

/**
 * A seeded bijection of [0, size): `x -> (multiplier * x + offset) mod size`. Used to turn a
 * person's index into identifiers that are unique by construction (no collision checks, no
 * shared state between people) yet do not look sequential.
 */
export class Permutation {
  private readonly multiplier: number;
  private readonly offset: number;

  constructor(readonly size: number, ...seedParts: readonly (string | number)[]) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`Permutation size ${size} must be a positive integer`);
    const [h1, h2] = cyrb128(['permutation', ...seedParts].join('\u001f'));
    let multiplier = size <= 2 ? 1 : (h1 % (size - 1)) + 1;
    while (gcd(multiplier, size) !== 1) multiplier = (multiplier % (size - 1)) + 1;
    this.multiplier = multiplier;
    this.offset = h2 % size;
  }

  apply(index: number): number {
    if (index < 0 || index >= this.size) throw new RangeError(`index ${index} outside [0, ${this.size})`);
    return (mulMod(this.multiplier, index, this.size) + this.offset) % this.size;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** (a * b) mod m without losing precision when a * b exceeds 2^53. */
function mulMod(a: number, b: number, m: number): number {
  const product = a * b;
  if (Number.isSafeInteger(product)) return product % m;
  return Number((BigInt(a) * BigInt(b)) % BigInt(m));
}
