// The emulator's own endpoints under /__emulator/, so a test or a developer in another terminal
// can reset data, inject faults and read counters while `npm start` runs. No token needed: the
// emulator listens on loopback only.
//
//   GET    /__emulator                 state: base id, tables, faults, rate limit
//   POST   /__emulator/reset           restore the seed
//   GET    /__emulator/tables/:table   the table's records
//   GET    /__emulator/faults          the active faults
//   POST   /__emulator/faults          add one, body: FaultSpec
//   DELETE /__emulator/faults          clear them (hanging requests then answer)
//   GET    /__emulator/stats           { counts, peakInFlight, inFlight }
//   DELETE /__emulator/stats           reset the counters
//   GET|PUT /__emulator/rate-limit     { enabled }
import { AirtableApiError } from './api-error';
import type { FaultInjector } from './fault-injector';
import type { RateLimiter } from './rate-limiter';
import type { RecordStore } from './record-store';
import type { RequestStats } from './request-stats';

export interface ControlTarget {
  readonly store: RecordStore;
  readonly faults: FaultInjector;
  readonly stats: RequestStats;
  readonly rateLimiter: RateLimiter;
  reset(): void;
}

export interface ControlAnswer {
  readonly status: number;
  readonly body: unknown;
}

const ok = (body: unknown): ControlAnswer => ({ status: 200, body });
const fail = (status: number, message: string): ControlAnswer => ({ status, body: { error: message } });

export function handleControlRequest(target: ControlTarget, method: string, path: readonly string[], body: unknown): ControlAnswer {
  const { store, faults, stats, rateLimiter } = target;
  const [resource, name] = path;
  const route = `${method} ${resource ?? ''}`;
  try {
    switch (route) {
      case 'GET ':
        return ok({ baseId: store.baseId, tables: store.tableNames(), faults: faults.list(), rateLimit: rateLimiter.enabled, penaltyMs: rateLimiter.penaltyLeft() });
      case 'POST reset':
        target.reset();
        return ok({ reset: true });
      case 'GET tables':
        if (name === undefined) return ok({ tables: store.tableNames() });
        return ok({ records: store.snapshot(store.table(name)) });
      case 'GET faults':
        return ok({ faults: faults.list() });
      case 'POST faults':
        faults.set(body as never);
        return ok({ faults: faults.list() });
      case 'DELETE faults':
        faults.clear();
        rateLimiter.reset(); // clearing the trouble lifts a 429 penalty too
        return ok({ faults: [] });
      case 'GET stats':
        return ok(statsBody(stats));
      case 'DELETE stats':
        stats.reset();
        return ok(statsBody(stats));
      case 'GET rate-limit':
        return ok({ enabled: rateLimiter.enabled });
      case 'PUT rate-limit':
      case 'POST rate-limit': {
        const enabled = (body as { enabled?: unknown } | undefined)?.enabled;
        if (typeof enabled !== 'boolean') return fail(400, 'send {"enabled": true} or {"enabled": false}');
        rateLimiter.enabled = enabled;
        rateLimiter.reset();
        return ok({ enabled });
      }
    }
    return fail(404, `no control endpoint ${method} /__emulator/${path.join('/')}`);
  } catch (error) {
    return fail(error instanceof AirtableApiError ? error.status : 400, (error as Error).message);
  }
}

function statsBody(stats: RequestStats) {
  return { counts: stats.snapshot(), peakInFlight: stats.peakInFlight(), inFlight: stats.currentInFlight() };
}
