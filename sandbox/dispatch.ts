// `npm run dispatch`: runs the callback dispatcher of a running sandbox (`npm start`) once, or every
// N seconds with `--every N`, as an external scheduler would in production:
//   npm run dispatch                      once, against the URL `npm start` wrote in .sandbox/endpoints.json
//   npm run dispatch -- --every 60        every minute until Ctrl-C
//   npm run dispatch -- --url https://x.twil.io   another deployment (DISPATCH_SECRET from the shell or .env)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { PROJECT_DIR } from './sandbox';
import { SANDBOX_DISPATCH_SECRET } from './sandbox-env';

export interface DispatchOptions {
  readonly url: string;
  readonly secret: string;
  readonly everySeconds?: number;
}

function readJson(file: string): Record<string, string> | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : undefined;
}

export function parseDispatchArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, projectDir = PROJECT_DIR): DispatchOptions {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const every = value('--every');
  const everySeconds = every === undefined ? undefined : Number(every);
  if (everySeconds !== undefined && !(Number.isFinite(everySeconds) && everySeconds >= 1)) throw new Error('--every takes a number of seconds (at least 1)');
  const url = value('--url') ?? readJson(path.join(projectDir, '.sandbox', 'endpoints.json'))?.functions;
  if (!url) throw new Error('No sandbox is running: start one with `npm start`, or give --url.');
  const dotEnv = existsSync(path.join(projectDir, '.env')) ? parseEnv(readFileSync(path.join(projectDir, '.env'), 'utf8')) : {};
  const secret = env.DISPATCH_SECRET?.trim() || (dotEnv as Record<string, string>).DISPATCH_SECRET?.trim() || SANDBOX_DISPATCH_SECRET;
  return { url: url.replace(/\/+$/, ''), secret, everySeconds };
}

export async function dispatchOnce(options: DispatchOptions): Promise<{ status: number; body: string }> {
  const response = await fetch(`${options.url}/jobs/dispatch-callbacks`, { method: 'POST', headers: { authorization: `Bearer ${options.secret}` } });
  return { status: response.status, body: await response.text() };
}

async function main(): Promise<void> {
  const options = parseDispatchArgs(process.argv.slice(2), process.env);
  const run = async () => {
    try {
      const { status, body } = await dispatchOnce(options);
      console.log(`${new Date().toISOString()} ${status} ${body}`);
      return status;
    } catch (error) {
      console.error(`${new Date().toISOString()} dispatcher unreachable: ${(error as Error).message}`);
      return 0;
    }
  };
  const status = await run();
  if (options.everySeconds === undefined) process.exit(status === 200 ? 0 : 1);
  setInterval(() => void run(), options.everySeconds * 1000);
}

if (require.main === module) {
  main().catch((error) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
