// Airtable's limit of 5 requests per second per base, and its penalty: after a 429, every request to
// the base is refused for 30 seconds ("you will need to wait 30 seconds before subsequent requests
// will succeed", Airtable's API documentation). The per-second count is off by default (most tests
// want answers, not 429s; the ones about rate limits turn it on); the penalty always applies once a
// 429 has been answered, whether the count or an injected fault caused it.

export const REQUESTS_PER_SECOND = 5;
export const RATE_LIMIT_PENALTY_MS = 30_000;
const WINDOW_MS = 1000;

export class RateLimiter {
  private recent: number[] = [];
  private penalisedUntil = 0;

  constructor(
    public enabled = false,
    private readonly penaltyMs = RATE_LIMIT_PENALTY_MS,
  ) {}

  /** Whether a request arriving at `now` is served; only served requests use up the budget. */
  allow(now = Date.now()): boolean {
    if (now < this.penalisedUntil) return false;
    if (!this.enabled) return true;
    this.recent = this.recent.filter((t) => now - t < WINDOW_MS);
    if (this.recent.length >= REQUESTS_PER_SECOND) {
      this.penalise(now);
      return false;
    }
    this.recent.push(now);
    return true;
  }

  /** A 429 was answered: the base refuses every request for the penalty. */
  penalise(now = Date.now()): void {
    this.penalisedUntil = now + this.penaltyMs;
  }

  /** Milliseconds of penalty left at `now` (0 when none). */
  penaltyLeft(now = Date.now()): number {
    return Math.max(0, this.penalisedUntil - now);
  }

  reset(): void {
    this.recent = [];
    this.penalisedUntil = 0;
  }
}
