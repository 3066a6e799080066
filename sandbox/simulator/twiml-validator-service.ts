// One TwiML validator for many processes: `npm test` starts it once (tests/global-setup.js) and sets
// TWIML_VALIDATOR_URL, so jest's workers, their test files and the CLIs they start ask it instead of
// each starting an xmllint worker of their own and validating again the menus every other file already
// validated. It listens on loopback only.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeTwimlValidator, validateTwimlHere } from './twiml-validator';

export interface TwimlValidatorService {
  /** POST a TwiML document here; the answer is its TwimlValidation as JSON. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startTwimlValidatorService(): Promise<TwimlValidatorService> {
  const server = http.createServer((request, response) => {
    const answer = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method !== 'POST') return answer(405, { error: 'POST a TwiML document' });
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      validateTwimlHere(Buffer.concat(chunks).toString('utf8')).then(
        (verdict) => answer(200, verdict),
        (error: Error) => answer(500, { error: error.message }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Never what keeps the process that started it alive.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeTwimlValidator();
    },
  };
}

// `node --import tsx sandbox/simulator/twiml-validator-service.ts` (what tests/global-setup.js runs):
// prints the URL, then serves until its standard input ends, which is when the process that started it
// ends it or dies.
if (require.main === module) {
  void startTwimlValidatorService().then((service) => {
    process.stdout.write(`${service.url}\n`);
    // The schema (generated with TypeScript on a fresh clone, ~2 s) and the xmllint worker get ready
    // while jest starts its workers, instead of when the first documents arrive. A failure here is
    // left to the first real validation to report.
    validateTwimlHere('<Response/>').catch(() => undefined);
    process.stdin.on('end', () => void service.close().then(() => process.exit(0)));
    process.stdin.resume();
  });
}
