// Trouble on demand, so tests and developers can see what callers hear when Airtable is slow,
// rate-limited, failing or silent. Rules add up: every rule matching a request applies
// (latencies sum, any hang holds it, the first status wins), and each uses up one of its `times`.

export type FaultStatus = 429 | 500 | 503;

export interface FaultSpec {
  /** Wait this long before answering. */
  readonly latencyMs?: number;
  /**
   * Carry the request out, then wait this long before answering: a client that gives up first never
   * hears that its create or update was made (as with a real timeout after Airtable wrote).
   */
  readonly lateAnswerMs?: number;
  /** Answer this error instead of the real answer: 429 RATE_LIMITED, 500 SERVER_ERROR, 503 SERVICE_UNAVAILABLE. */
  readonly status?: FaultStatus;
  /** Never answer, until the faults are cleared (then answer normally) or the emulator closes. */
  readonly hang?: boolean;
  /** Affect this many matching requests, then stop; omitted: every request until cleared. */
  readonly times?: number;
  /** Only requests to this table (by name as in the URL, or its id). */
  readonly table?: string;
  /** Only requests with this HTTP method. */
  readonly method?: string;
}

export interface FaultPlan {
  readonly latencyMs: number;
  readonly lateAnswerMs: number;
  readonly hang: boolean;
  readonly status?: FaultStatus;
}

const STATUSES: readonly number[] = [429, 500, 503];
const MAX_LATENCY_MS = 10 * 60_000;

/** Checks a spec that may come from JSON over HTTP; throws with a reason. */
export function checkFaultSpec(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('a fault must be a JSON object');
  const spec = input as Record<string, unknown>;
  const known = ['latencyMs', 'lateAnswerMs', 'status', 'hang', 'times', 'table', 'method'];
  const unknown = Object.keys(spec).filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`unknown fault option(s): ${unknown.join(', ')}`);
  const { latencyMs, lateAnswerMs, status, hang, times, table, method } = spec;
  if (latencyMs !== undefined && !(typeof latencyMs === 'number' && latencyMs >= 0 && latencyMs <= MAX_LATENCY_MS)) {
    throw new Error(`latencyMs must be a number from 0 to ${MAX_LATENCY_MS}`);
  }
  if (lateAnswerMs !== undefined && !(typeof lateAnswerMs === 'number' && lateAnswerMs >= 0 && lateAnswerMs <= MAX_LATENCY_MS)) {
    throw new Error(`lateAnswerMs must be a number from 0 to ${MAX_LATENCY_MS}`);
  }
  if (status !== undefined && !STATUSES.includes(status as number)) throw new Error(`status must be one of ${STATUSES.join(', ')}`);
  if (hang !== undefined && typeof hang !== 'boolean') throw new Error('hang must be true or false');
  if (times !== undefined && !(Number.isInteger(times) && (times as number) > 0)) throw new Error('times must be a positive integer');
  if (table !== undefined && typeof table !== 'string') throw new Error('table must be a string');
  if (method !== undefined && typeof method !== 'string') throw new Error('method must be a string');
  if (!latencyMs && !lateAnswerMs && status === undefined && !hang) throw new Error('a fault needs latencyMs, lateAnswerMs, status or hang');
  return spec as FaultSpec;
}

interface Rule {
  readonly spec: FaultSpec;
  remaining: number;
}

export class FaultInjector {
  private rules: Rule[] = [];
  private readonly waiting = new Set<() => void>();

  set(spec: FaultSpec): void {
    const checked = checkFaultSpec(spec);
    this.rules.push({ spec: checked, remaining: checked.times ?? Infinity });
  }

  /** Removes every rule and lets hanging requests go on to their normal answer. */
  clear(): void {
    this.rules = [];
    this.releaseAll();
  }

  list(): FaultSpec[] {
    return this.rules.map((r) => (r.remaining === Infinity ? r.spec : { ...r.spec, times: r.remaining }));
  }

  /** What to do to one request; counts it against the matching rules' `times`. */
  planFor(tableNames: readonly string[], method: string): FaultPlan {
    let latencyMs = 0;
    let lateAnswerMs = 0;
    let hang = false;
    let status: FaultStatus | undefined;
    for (const rule of this.rules) {
      const { spec } = rule;
      if (spec.table !== undefined && !tableNames.includes(spec.table)) continue;
      if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) continue;
      rule.remaining--;
      latencyMs += spec.latencyMs ?? 0;
      lateAnswerMs += spec.lateAnswerMs ?? 0;
      hang ||= spec.hang === true;
      status ??= spec.status;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { latencyMs, lateAnswerMs, hang, status };
  }

  /** Resolves when the faults are cleared or released; `cancel` drops the wait (the client went away). */
  hold(): { released: Promise<void>; cancel: () => void } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = () => {
        this.waiting.delete(release);
        resolve();
      };
    });
    this.waiting.add(release);
    return { released, cancel: release };
  }

  releaseAll(): void {
    for (const release of [...this.waiting]) release();
  }
}
