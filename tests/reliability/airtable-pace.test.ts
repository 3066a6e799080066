// A burst of callers on one instance, with Airtable enforcing its 5 requests a second per base and its
// 30 s penalty. Paced (AIRTABLE_REQUESTS_PER_SECOND, default 5 when deployed), the instance never trips
// the penalty: the burst's callers get their menu and the next caller is still recognised. Unpaced,
// the burst draws a 429 and Airtable refuses the base for 30 s: the next caller is a stranger. And when a
// 429 comes anyway (another instance went over), a paced instance sends nothing until the 30 s are over.
import { DEMO_CALLERS, DEMO_LINES } from '../../sandbox/demo-data';
import { call } from '../../sandbox/simulator/call-script';
import { functionsMemory } from '../helpers/functions-memory';
import { useSandbox } from '../helpers/sandbox';

const BURST = 12;

/** Dana asks for an agent; the menu greets her by name when Airtable could tell who she is. */
const danaAsksForAnAgent = (sandbox: ReturnType<typeof useSandbox>, recognised: boolean) => {
  const asked = call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).say('agent');
  return (recognised ? asked.expectSay('Hi Dana.') : asked.expectNotSay(/Dana/)).expectSay(/press 1/).hangup();
};

/** BURST callers ask for an agent at the same moment; what each heard first after asking. */
async function burst(sandbox: ReturnType<typeof useSandbox>): Promise<void> {
  sandbox.airtable.setRateLimit(true);
  await Promise.all(Array.from({ length: BURST }, () => call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana }).say('agent').expectSay(/press 1/).hangup()));
}

describe('paced, as deployed', () => {
  const sandbox = useSandbox(undefined, { env: { AIRTABLE_REQUESTS_PER_SECOND: '5' } });
  // The pace and the lockout are the instance's memory: each test starts without them.
  afterEach(() => {
    sandbox.airtable.setRateLimit(false);
    functionsMemory().reset();
  });

  test('a burst of callers draws no 429, and the caller after it is still recognised', async () => {
    await burst(sandbox);
    expect(sandbox.airtable.stats.rateLimited()).toBe(0);
    await danaAsksForAnAgent(sandbox, true);
    expect(sandbox.airtable.stats.rateLimited()).toBe(0);
  });

  test('when a 429 comes anyway (another instance, another integration), the instance sends the base nothing while it is locked out, and callers still get their answer', async () => {
    sandbox.airtable.faults.set({ status: 429, table: 'Contacts', times: 1 });
    await danaAsksForAnAgent(sandbox, false);
    sandbox.airtable.faults.clear();
    sandbox.airtable.stats.reset();
    await danaAsksForAnAgent(sandbox, false);
    expect(sandbox.airtable.stats.counts()).toEqual({});
  });
});

describe('unpaced (AIRTABLE_REQUESTS_PER_SECOND=0)', () => {
  const sandbox = useSandbox(undefined, { env: { AIRTABLE_REQUESTS_PER_SECOND: '0' } });
  afterEach(() => sandbox.airtable.setRateLimit(false));

  test('the same burst trips the penalty: the caller after it is not recognised', async () => {
    await burst(sandbox);
    expect(sandbox.airtable.stats.rateLimited()).toBeGreaterThan(0);
    await danaAsksForAnAgent(sandbox, false);
  });
});
