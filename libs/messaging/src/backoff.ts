/** Exponential backoff for re-delivery after a failed handler: initial, doubling, capped. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const defaultRedeliveryBackoff: BackoffOptions = { initialMs: 200, maxMs: 10_000 };

/** Delay before attempt `failures + 1`, after `failures` consecutive failures (>= 1). */
export function backoffDelayMs(options: BackoffOptions, failures: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(options.initialMs * 2 ** exponent, options.maxMs);
}

/** Waits `ms`, in slices, calling `tick` between slices; stops early when `shouldStop` says so. */
export async function waitInSlices(
  ms: number,
  options: { sliceMs: number; shouldStop: () => boolean; tick?: () => Promise<void> },
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!options.shouldStop()) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(remaining, options.sliceMs)));
    if (options.tick) await options.tick();
  }
}
