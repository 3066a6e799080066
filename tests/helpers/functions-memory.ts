// The memory of the Functions this test process serves (callMemory in the bundle they load with
// Runtime.getAssets()): dropping it is what a recycled or another instance of the Functions looks like.
import path from 'node:path';
import { PROJECT_DIR } from '../../sandbox/sandbox';

export interface FunctionsMemory {
  reset(): void;
  known(callSid: string, now: number): unknown;
}

export function functionsMemory(): FunctionsMemory {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the same module instance the served Functions required
  return (require(path.join(PROJECT_DIR, 'dist', 'assets', 'ivr.private.js')) as { callMemory: FunctionsMemory }).callMemory;
}
