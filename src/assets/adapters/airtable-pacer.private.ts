// Airtable serves 5 requests per second per base; one more and it refuses the whole base for 30 s, so
// every caller of every line gets the fallback for half a minute. An instance therefore never sends
// more than that itself: a request past the budget waits for its turn, the one with the nearest
// deadline first (a caller's webhook before a report nobody hears), and one that could no longer start
// in time gives up at once, so its webhook answers with what it has instead of waiting for nothing.
//
// Per instance and per base: several busy instances together can still go over; this keeps one
// instance's burst from tripping the penalty alone. When a 429 comes anyway, the instance sends the
// base nothing until the 30 s are over: each request would be refused after its round trip (the
// caller waiting for it), and Airtable's documentation does not promise that requests sent during the
// penalty leave it as it was.

/** Airtable's limit per base. */
export const AIRTABLE_REQUESTS_PER_SECOND = 5;
/** How long Airtable refuses a base after a 429. */
export const LOCKOUT_MS = 30_000;
/**
 * Airtable counts arrivals, we count sends: two sends a second apart can arrive closer than that when
 * the first is slower on the way. The window is a little over a second to keep them apart.
 */
export const PACING_WINDOW_MS = 1200;

/** The time, and a way to run a function later. */
export interface PacerClock {
  now(): number;
  after(ms: number, run: () => void): void;
}

// A waiting request holds its process open (a command run against a real base must not exit with a
// request still waiting); the wait never outlasts the request's deadline.
const REAL_CLOCK: PacerClock = {
  now: () => Date.now(),
  after: (ms, run) => void setTimeout(run, ms),
};

/** Thrown when a request could not get its turn before it had to start. */
export class NoTurnInTime extends Error {
  constructor() {
    super('Airtable: no request turn before the deadline (this instance is at 5 requests a second)');
  }
}

/** Thrown instead of sending while the base is locked out: what Airtable would answer, without the round trip. */
export class BaseLockedOut extends Error {
  readonly statusCode = 429;
  constructor(readonly until: number) {
    super(`Airtable refuses the base until ${new Date(until).toISOString()} (it answered 429)`);
  }
}

export interface AirtablePacer {
  /**
   * Resolves when a request may be sent, at the latest by `latestStart` (epoch ms); else rejects with
   * NoTurnInTime, or with BaseLockedOut while the base is locked out.
   */
  turn(latestStart: number): Promise<void>;
  /** Airtable answered 429: nothing is sent to the base for LOCKOUT_MS; the requests waiting are refused now. */
  lockOut(): void;
}

interface Waiter {
  readonly latestStart: number;
  readonly go: () => void;
  readonly giveUp: () => void;
}

/** At most `perWindow` request starts in any `windowMs`; waiters served earliest deadline first. */
export function airtablePacer(perWindow = AIRTABLE_REQUESTS_PER_SECOND, windowMs = PACING_WINDOW_MS, clock: PacerClock = REAL_CLOCK): AirtablePacer {
  const started: number[] = [];
  let waiting: Waiter[] = [];
  let wakeAt: number | undefined;
  let lockedUntil = 0;

  /** The earliest time a request may start: now, or when the oldest start of the window leaves it. */
  function nextStart(now: number): number {
    while (started.length > 0 && now - started[0]! >= windowMs) started.shift();
    return started.length < perWindow ? now : started[0]! + windowMs;
  }

  function serve(): void {
    const now = clock.now();
    let at = nextStart(now);
    while (waiting.length > 0 && at <= now) {
      started.push(now);
      waiting.shift()!.go();
      at = nextStart(now);
    }
    // Whoever must start before the next turn cannot: it hears so now, not at its deadline.
    const late = waiting.filter((w) => w.latestStart < at);
    waiting = waiting.filter((w) => w.latestStart >= at);
    for (const w of late) w.giveUp();
    if (waiting.length > 0 && wakeAt !== at) {
      wakeAt = at;
      clock.after(at - now, () => {
        wakeAt = undefined;
        serve();
      });
    }
  }

  return {
    turn(latestStart) {
      return new Promise<void>((resolve, reject) => {
        if (clock.now() < lockedUntil) return reject(new BaseLockedOut(lockedUntil));
        const waiter: Waiter = { latestStart, go: resolve, giveUp: () => reject(clock.now() < lockedUntil ? new BaseLockedOut(lockedUntil) : new NoTurnInTime()) };
        const after = waiting.findIndex((w) => w.latestStart > latestStart);
        waiting.splice(after < 0 ? waiting.length : after, 0, waiter);
        serve();
      });
    },
    lockOut() {
      lockedUntil = clock.now() + LOCKOUT_MS;
      const refused = waiting;
      waiting = [];
      for (const w of refused) w.giveUp();
    },
  };
}
