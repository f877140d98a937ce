import { randomBytesFromPool } from './random-pool';

describe('randomBytesFromPool', () => {
  it('given many draws across pool refills, then every draw has the size asked for and no two are equal', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const bytes = randomBytesFromPool(12);
      expect(bytes).toHaveLength(12);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(20_000);
  });

  it('given a draw is held while the pool refills, then its bytes do not change', () => {
    const held = randomBytesFromPool(32);
    const copy = Buffer.from(held);
    for (let i = 0; i < 10_000; i++) randomBytesFromPool(32);
    expect(held.equals(copy)).toBe(true);
  });

  it('given a large request, then it is served directly at its full size', () => {
    expect(randomBytesFromPool(40_000)).toHaveLength(40_000);
  });
});
