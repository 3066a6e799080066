// The sandbox as `npm start` runs it, plus the static-TwiML baseline served by the same server, and
// the line cache on as on a warm production instance. Nothing is read from .env: always local.
import path from 'node:path';
import { demoBaseWithHours } from '../sandbox/demo-data';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';

export const STATIC_TWIML_PATH = '/bench/static-twiml';

export type BenchSandbox = Sandbox;

export function startBenchSandbox(lineCacheSeconds: number): Promise<BenchSandbox> {
  return startSandbox({
    env: { LINE_CACHE_SECONDS: String(lineCacheSeconds) },
    // Open at any hour, so pressing 1 on Support is always the live transfer.
    seed: demoBaseWithHours('open'),
    // Protected like our webhooks, so both pay the same signature check.
    extraFunctions: [{ path: STATIC_TWIML_PATH, filePath: path.join(__dirname, 'static-twiml.js'), access: 'protected' }],
  });
}
