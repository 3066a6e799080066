// Who asked for what, and how much at once: lets a test prove that a handler read each table once,
// or that two lookups ran in parallel (peak in flight 2) rather than one after the other.

export type RequestCounts = Record<string, Record<string, number>>;

export class RequestStats {
  private counts: RequestCounts = {};
  private inFlight = 0;
  private peak = 0;

  /** Counts a request to `table` with `method` and marks it in flight; call the result when it ends. */
  begin(table: string, method: string): () => void {
    const perMethod = (this.counts[table] ??= {});
    perMethod[method] = (perMethod[method] ?? 0) + 1;
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
    };
  }

  snapshot(): RequestCounts {
    return Object.fromEntries(Object.entries(this.counts).map(([table, methods]) => [table, { ...methods }]));
  }

  peakInFlight(): number {
    return this.peak;
  }

  currentInFlight(): number {
    return this.inFlight;
  }

  /** Zero counts; the peak restarts from what is in flight now. */
  reset(): void {
    this.counts = {};
    this.peak = this.inFlight;
  }
}
