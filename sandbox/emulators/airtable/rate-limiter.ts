// Airtable's limit of 5 requests per second per base. Off by default: most tests want answers,
// not 429s; the ones about rate limits turn it on.

export const REQUESTS_PER_SECOND = 5;
const WINDOW_MS = 1000;

export class RateLimiter {
  private recent: number[] = [];

  constructor(public enabled = false) {}

  /** Whether a request arriving at `now` is served; only served requests use up the budget. */
  allow(now = Date.now()): boolean {
    if (!this.enabled) return true;
    this.recent = this.recent.filter((t) => now - t < WINDOW_MS);
    if (this.recent.length >= REQUESTS_PER_SECOND) return false;
    this.recent.push(now);
    return true;
  }

  reset(): void {
    this.recent = [];
  }
}
