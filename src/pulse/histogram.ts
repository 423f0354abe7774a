/**
 * Fixed-bucket log-linear latency histogram (HDR-style): 16 linear buckets below
 * 1 ms, then 16 sub-buckets per power of two up to ~2^18 ms. Relative error stays
 * under 1/16 and recording is a couple of float ops and one array increment.
 */
const SUB = 16;
const MAGNITUDES = 18;
export const BUCKETS = SUB + SUB * MAGNITUDES;

export function bucketOf(ms: number): number {
  if (!(ms > 0)) return 0;
  if (ms < 1) return Math.floor(ms * SUB);
  const e = Math.floor(Math.log2(ms));
  if (e >= MAGNITUDES) return BUCKETS - 1;
  const sub = Math.floor((ms / 2 ** e - 1) * SUB);
  return SUB + e * SUB + sub;
}

/** Upper bound of a bucket, in ms (what a percentile reports: never under-states latency). */
export function bucketUpper(i: number): number {
  if (i < SUB) return (i + 1) / SUB;
  const e = Math.floor((i - SUB) / SUB);
  const sub = (i - SUB) % SUB;
  return 2 ** e * (1 + (sub + 1) / SUB);
}

export class Histogram {
  readonly counts = new Uint32Array(BUCKETS);
  total = 0;

  record(ms: number, times = 1): void {
    this.counts[bucketOf(ms)] += times;
    this.total += times;
  }

  /** Value at quantile q (0..1), or 0 when empty. */
  quantile(q: number): number {
    if (!this.total) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return bucketUpper(i);
    }
    return bucketUpper(BUCKETS - 1);
  }

  merge(other: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i];
    this.total += other.total;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }
}
