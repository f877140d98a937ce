import { Permutation } from './permutation';
import { Random } from './random';

describe('Random', () => {
  it('repeats its sequence for the same name, and differs for another', () => {
    const draw = (random: Random) => Array.from({ length: 5 }, () => random.nextUint32());
    expect(draw(Random.of('seed', 'story', 1))).toEqual(draw(Random.of('seed', 'story', 1)));
    expect(draw(Random.of('seed', 'story', 2))).not.toEqual(draw(Random.of('seed', 'story', 1)));
  });

  it('draws uniformly enough: mean near 1/2, ints inside their bounds', () => {
    const random = Random.of('uniform');
    const draws = Array.from({ length: 20_000 }, () => random.next());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((a, b) => a + b, 0) / draws.length).toBeCloseTo(0.5, 1);
    const ints = new Set(Array.from({ length: 1000 }, () => random.int(3, 7)));
    expect([...ints].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('picks by weight', () => {
    const random = Random.of('weights');
    const picks = Array.from({ length: 10_000 }, () => random.weighted([['a', 3], ['b', 1]] as const));
    expect(picks.filter((p) => p === 'a').length / picks.length).toBeCloseTo(0.75, 1);
  });

  it('makes UUID-v4-shaped ids', () => {
    const random = Random.of('uuid');
    const ids = Array.from({ length: 1000 }, () => random.uuid());
    expect(ids.filter((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('Permutation', () => {
  it.each([1, 2, 10, 26_000, 1_000_000])('is a bijection of [0, %i)', (size) => {
    const permutation = new Permutation(size, 'test', size);
    const sample = Math.min(size, 50_000);
    const images = new Set(Array.from({ length: sample }, (_, i) => permutation.apply(i)));
    expect(images.size).toBe(sample);
    expect([...images].every((image) => image >= 0 && image < size)).toBe(true);
  });

  it('stays exact beyond 2^53 products', () => {
    const permutation = new Permutation(13_520_000, 'big');
    const images = new Set(Array.from({ length: 1000 }, (_, i) => permutation.apply(13_519_000 + i)));
    expect(images.size).toBe(1000);
  });
});
