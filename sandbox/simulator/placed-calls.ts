// The calls the application places through the Twilio emulator (callbacks), queued for a test or the
// CLI to answer with the driver.
import type { CallCreatedEvent } from '../emulators/twilio';
import { placedCallOf, type PlacedCall } from './call-driver';

export interface PlacedCallSource {
  onCallCreated(listener: (event: CallCreatedEvent) => void): () => void;
}

export interface PlacedCallWatch {
  /** The next placed call not yet taken, waiting up to `timeoutMs` (real time) for it. */
  next(timeoutMs?: number): Promise<PlacedCall>;
  /** Placed calls not yet taken. */
  pending(): readonly PlacedCall[];
  stop(): void;
}

export function watchPlacedCalls(source: PlacedCallSource): PlacedCallWatch {
  const queue: PlacedCall[] = [];
  const waiters: ((call: PlacedCall) => void)[] = [];
  const unsubscribe = source.onCallCreated((event) => {
    const call = placedCallOf(event);
    const waiter = waiters.shift();
    if (waiter) waiter(call);
    else queue.push(call);
  });
  return {
    next(timeoutMs = 2_000) {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise<PlacedCall>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(take), 1);
          reject(new Error(`the application placed no call within ${timeoutMs} ms`));
        }, timeoutMs);
        const take = (call: PlacedCall): void => {
          clearTimeout(timer);
          resolve(call);
        };
        waiters.push(take);
      });
    },
    pending: () => [...queue],
    stop: unsubscribe,
  };
}
