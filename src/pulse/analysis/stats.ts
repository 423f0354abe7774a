/** Small statistics over recent beats. */

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

export function stddev(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/**
 * How many standard deviations `x` is above the mean of `xs`. The deviation has a
 * floor (`minStd`, or 5 % of the mean) so a perfectly flat history does not turn a
 * tiny change into an infinite score. Null when there is too little history.
 */
export function zScore(x: number, xs: number[], minStd = 0, minSamples = 4): number | null {
  if (xs.length < minSamples) return null;
  const m = mean(xs);
  const s = Math.max(stddev(xs), Math.abs(m) * 0.05, minStd, 1e-9);
  return (x - m) / s;
}

/** Ratio of the current rate to the recent average; null without enough history or traffic. */
export function spikeRatio(current: number, recent: number[], minSamples = 3, minBaseline = 1): number | null {
  if (recent.length < minSamples) return null;
  const m = mean(recent);
  if (m < minBaseline) return null;
  return current / m;
}
