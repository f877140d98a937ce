/**
 * A small seeded PRNG: sfc32 (Chris Doty-Humphrey's Small Fast Counter) seeded through the
 * cyrb128 string hash. Deterministic across platforms because it uses only 32-bit integer ops.
 * Each stream is named by parts (seed, purpose, person index...), so one person's story never
 * depends on how many numbers another person drew.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(seedWords: readonly [number, number, number, number]) {
    [this.a, this.b, this.c, this.d] = seedWords;
    // The first outputs of sfc32 are poorly mixed; discard them.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A stream named by its parts: `Random.of(seed, 'story', 42)`. */
  static of(...parts: readonly (string | number)[]): Random {
    return new Random(cyrb128(parts.join('\u001f')));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick: no items to pick from');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks a value with probability proportional to its weight. */
  weighted<T>(table: WeightedTable<T>): T {
    let total = 0;
    for (const [, weight] of table) total += weight;
    let target = this.next() * total;
    for (const [value, weight] of table) {
      target -= weight;
      if (target < 0) return value;
    }
    return table[table.length - 1]![0];
  }

  /** A UUID-v4-shaped string (version nibble 4, RFC 4122 variant). */
  uuid(): string {
    const w0 = this.nextUint32();
    const w1 = this.nextUint32();
    const w2 = ((this.nextUint32() & 0x3fffffff) | 0x80000000) >>> 0;
    const w3 = this.nextUint32();
    const h1 = hex32(w1);
    const h2 = hex32(w2);
    return `${hex32(w0)}-${h1.slice(0, 4)}-4${h1.slice(5, 8)}-${h2.slice(0, 4)}-${h2.slice(4)}${hex32(w3)}`;
  }
}

const byteHex = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));

function hex32(value: number): string {
  return byteHex[value >>> 24]! + byteHex[(value >>> 16) & 0xff]! + byteHex[(value >>> 8) & 0xff]! + byteHex[value & 0xff]!;
}

export type WeightedTable<T> = readonly (readonly [T, number])[];

/** cyrb128: a fast 128-bit non-cryptographic string hash (public-domain algorithm by bryc). */
export function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
