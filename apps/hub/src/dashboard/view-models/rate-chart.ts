/** The national target for continuity of care: 75% of releases engaged within 21 days. */
export const continuityTarget = 0.75;

export interface RatePoint {
  /** What the bar stands for (a month, `2025-03`). */
  readonly label: string;
  /** engaged / (engaged + notEngaged); null when there is no rate (nothing judged yet, or suppressed). */
  readonly rate: number | null;
}

export interface RateChart {
  readonly width: number;
  readonly height: number;
  readonly plot: { readonly left: number; readonly top: number; readonly width: number; readonly height: number };
  readonly bars: readonly { x: number; y: number; width: number; height: number; label: string; labelX: number; text: string; belowTarget: boolean; missing: boolean }[];
  readonly ticks: readonly { y: number; text: string }[];
  readonly targetY: number;
  readonly targetText: string;
  /** A sentence for screen readers (the table underneath carries the numbers). */
  readonly summary: string;
}

const percent = (rate: number) => `${Math.round(rate * 100)}%`;

/**
 * Geometry of a simple bar chart of rates (0-100%) with the target as a line: drawn as inline SVG by
 * the template, no client-side code. Bars without a rate are marked, not drawn as zero.
 */
export function rateChart(points: readonly RatePoint[], target = continuityTarget): RateChart {
  const width = 720;
  const height = 320;
  const plot = { left: 48, top: 16, width: width - 48 - 16, height: height - 16 - 56 };
  const y = (rate: number) => plot.top + plot.height * (1 - Math.min(1, Math.max(0, rate)));
  const slot = points.length === 0 ? plot.width : plot.width / points.length;
  const barWidth = Math.max(4, Math.min(48, slot * 0.6));
  const bars = points.map((point, index) => {
    const centre = plot.left + slot * index + slot / 2;
    const top = point.rate === null ? y(0) : y(point.rate);
    return {
      x: round(centre - barWidth / 2), y: round(top), width: round(barWidth), height: round(y(0) - top), label: point.label, labelX: round(centre),
      text: point.rate === null ? 'no rate' : percent(point.rate), belowTarget: point.rate !== null && point.rate < target, missing: point.rate === null,
    };
  });
  const rated = points.filter((p) => p.rate !== null);
  const below = rated.filter((p) => p.rate! < target).length;
  const summary = points.length === 0
    ? 'No releases in this period.'
    : `${rated.length} of ${points.length} bars have a rate; ${below} ${below === 1 ? 'is' : 'are'} below the ${percent(target)} target. The table below gives the figures.`;
  return {
    width, height, plot, bars, targetY: round(y(target)), targetText: `Target ${percent(target)}`, summary,
    ticks: [0, 0.25, 0.5, 0.75, 1].map((t) => ({ y: round(y(t)), text: percent(t) })),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
