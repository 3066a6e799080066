// Summaries of latency samples (milliseconds).

export interface LatencySummary {
  readonly count: number;
  readonly median: number;
  readonly p95: number;
}

/** Nearest-rank percentile of ascending `sorted`: the smallest sample at or above `p` percent of them. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) throw new Error('no samples');
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, median: median(sorted), p95: percentile(sorted, 95) };
}
