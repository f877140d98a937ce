import { rateChart } from './rate-chart';

describe('rateChart', () => {
  it('given monthly rates, when drawn, then bar heights follow the rates, the target line sits at 75% and bars below it are marked', () => {
    const chart = rateChart([{ label: '2025-01', rate: 0.5 }, { label: '2025-02', rate: 1 }, { label: '2025-03', rate: null }]);
    const zero = chart.plot.top + chart.plot.height;
    expect(chart.bars.map((b) => [b.label, b.text, b.belowTarget, b.missing])).toEqual([
      ['2025-01', '50%', true, false], ['2025-02', '100%', false, false], ['2025-03', 'no rate', false, true],
    ]);
    expect(chart.bars[0]!.height).toBeCloseTo(chart.plot.height / 2, 0);
    expect(chart.bars[1]!.y).toBeCloseTo(chart.plot.top, 0);
    expect(chart.bars[2]!.height).toBe(0);
    expect(chart.bars[2]!.y).toBeCloseTo(zero, 0);
    expect(chart.targetY).toBeCloseTo(chart.plot.top + chart.plot.height * 0.25, 0);
    expect(chart.summary).toBe('2 of 3 bars have a rate; 1 is below the 75% target. The table below gives the figures.');
  });

  it('keeps bars inside the plot in order, however many there are', () => {
    const chart = rateChart(Array.from({ length: 24 }, (_, i) => ({ label: `m${i}`, rate: (i % 5) / 4 })));
    const xs = chart.bars.map((b) => b.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(chart.plot.left);
    expect(Math.max(...chart.bars.map((b) => b.x + b.width))).toBeLessThanOrEqual(chart.plot.left + chart.plot.width);
  });

  it('says so when there is nothing to draw', () => {
    expect(rateChart([]).summary).toBe('No releases in this period.');
  });
});
