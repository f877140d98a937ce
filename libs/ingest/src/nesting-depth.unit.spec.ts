import { maxNestingDepth, nestingDepth } from './check-event';

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe('nestingDepth', () => {
  it('counts objects and arrays; scalars are depth 0', () => {
    expect(nestingDepth('x', maxNestingDepth)).toBe(0);
    expect(nestingDepth({ a: 1, b: [1, { c: null }] }, maxNestingDepth)).toBe(3);
  });

  it('stops just past the limit, without recursion, however deep the input', () => {
    expect(nestingDepth(nested(100_000), maxNestingDepth)).toBe(maxNestingDepth + 1);
    expect(nestingDepth(nested(maxNestingDepth), maxNestingDepth)).toBe(maxNestingDepth);
  });
});
