// Fault injection for the local emulators (Twilio and SendGrid share it): slow answers, answers
// that never come, and a number of error statuses in a row, optionally only for one resource or
// one HTTP method. Tests use it to prove every webhook still answers within its budget.

export interface Fault {
  /** Only requests for this resource (each emulator names its own, e.g. 'calls'); all when absent. */
  readonly resource?: string;
  /** Only requests with this HTTP method (GET, POST...); all when absent. */
  readonly method?: string;
  /** Wait this long before answering (or before the error status). */
  readonly latencyMs?: number;
  /** Never answer: the request stays open until the client gives up or the emulator closes. */
  readonly hang?: boolean;
  /** Answer with this HTTP status (429, 500, 503...) instead of handling the request. */
  readonly status?: number;
  /** How many matching requests this fault hits; every one, until cleared, when absent. */
  readonly times?: number;
}

/** What the matching faults ask for one request. */
export interface FaultPlan {
  readonly latencyMs: number;
  readonly hang: boolean;
  readonly status?: number;
}

interface Rule {
  readonly fault: Fault;
  remaining: number;
}

/** The fault controls an emulator exposes to tests. */
export interface FaultControls {
  set(faults: Fault | readonly Fault[]): void;
  add(fault: Fault): void;
  clear(): void;
  list(): Fault[];
}

export class FaultInjector implements FaultControls {
  private rules: Rule[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private injectedCount = 0;

  /** Replaces every fault with these. */
  set(faults: Fault | readonly Fault[]): void {
    this.rules = [];
    for (const fault of Array.isArray(faults) ? faults : [faults as Fault]) this.add(fault);
  }

  add(fault: Fault): void {
    this.rules.push({ fault: parseFault(fault), remaining: fault.times ?? Infinity });
  }

  clear(): void {
    this.rules = [];
  }

  /** The faults still armed, with how many hits each has left (absent: unlimited). */
  list(): Fault[] {
    return this.rules.map(({ fault, remaining }) =>
      Number.isFinite(remaining) ? { ...fault, times: remaining } : { ...fault },
    );
  }

  /** How many requests a fault has touched since the emulator started or was reset. */
  get injected(): number {
    return this.injectedCount;
  }

  resetCount(): void {
    this.injectedCount = 0;
  }

  /**
   * Every armed fault that matches applies (longest latency, any hang, first status), and each
   * one spends a hit, so "latency on everything" and "one 429 on calls" can be armed together.
   */
  take(resource: string, method: string): FaultPlan | undefined {
    const matching = this.rules.filter(
      ({ fault }) =>
        (fault.resource === undefined || fault.resource === resource) &&
        (fault.method === undefined || fault.method.toUpperCase() === method.toUpperCase()),
    );
    if (matching.length === 0) return undefined;
    for (const rule of matching) rule.remaining -= 1;
    this.rules = this.rules.filter((rule) => rule.remaining > 0);
    this.injectedCount += 1;
    return {
      latencyMs: Math.max(0, ...matching.map(({ fault }) => fault.latencyMs ?? 0)),
      hang: matching.some(({ fault }) => fault.hang === true),
      status: matching.find(({ fault }) => fault.status !== undefined)?.fault.status,
    };
  }

  /** A delay that `dispose` cancels, so a closing emulator leaves no timer behind. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.rules = [];
  }
}

/** Checks a fault that arrived as JSON over the control endpoint (or from a test). */
export function parseFault(value: unknown): Fault {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('a fault is an object');
  const f = value as Record<string, unknown>;
  const optional = (key: string, type: 'string' | 'number' | 'boolean') => {
    if (f[key] !== undefined && typeof f[key] !== type) throw new Error(`fault.${key} must be a ${type}`);
  };
  optional('resource', 'string');
  optional('method', 'string');
  optional('latencyMs', 'number');
  optional('hang', 'boolean');
  optional('status', 'number');
  optional('times', 'number');
  const status = f.status as number | undefined;
  if (status !== undefined && (!Number.isInteger(status) || status < 400 || status > 599)) {
    throw new Error('fault.status must be an HTTP error status (400-599)');
  }
  const times = f.times as number | undefined;
  if (times !== undefined && (!Number.isInteger(times) || times < 1)) throw new Error('fault.times must be >= 1');
  const latencyMs = f.latencyMs as number | undefined;
  if (latencyMs !== undefined && !(latencyMs >= 0)) throw new Error('fault.latencyMs must be >= 0');
  if (latencyMs === undefined && f.hang !== true && status === undefined) {
    throw new Error('a fault needs latencyMs, hang or status');
  }
  return {
    resource: f.resource as string | undefined,
    method: f.method as string | undefined,
    latencyMs,
    hang: f.hang as boolean | undefined,
    status,
    times,
  };
}

/** The body of a control request that sets faults: one fault or a list. */
export function parseFaults(value: unknown): Fault[] {
  return (Array.isArray(value) ? value : [value]).map(parseFault);
}
