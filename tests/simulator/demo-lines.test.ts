// A scripted call to /voice/incoming of each demo line, end to end: the driver against the built
// Functions in the sandbox. Business hours are pinned by the seed, so the tests hold at any hour.
import { DEMO_CALLERS, DEMO_LINES, type DemoBase } from '../../sandbox/demo-data';
import { ANONYMOUS_CALLER_IDS } from '../../sandbox/simulator/call-params';
import { call, heardBy } from '../../sandbox/simulator/call-script';
import { demoBaseWithHours } from '../../sandbox/demo-data';
import { useSandbox } from '../helpers/sandbox';

const alwaysOpen = (): DemoBase => demoBaseWithHours('open');
const closedToday = (): DemoBase => demoBaseWithHours('closed');

const sandbox = useSandbox(alwaysOpen);

describe('Sales line', () => {
  test('open: a stranger asks for a person and is offered a live transfer as a yes/no question', async () => {
    sandbox.airtable.reset(alwaysOpen());
    await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.stranger })
      .expectSay('Thanks for calling Acme Sales')
      .say('I would like to talk to a human')
      .expectSay(/connect you to a person/)
      .expectSay(/press 1/)
      .hangup()
      .expectEnd('party');
  });

  test('closed: nothing to offer, so the caller hears the support number, never in full digits, and the call ends', async () => {
    sandbox.airtable.reset(closedToday());
    const record = await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.stranger })
      .expectSay('Thanks for calling Acme Sales')
      .press('0')
      .expectSay(/none of our ways to reach a person are available/)
      .expectNotSay('+12025550101')
      .expectHangup();
    // The support number is given (its last digits, however they are spaced for text-to-speech).
    expect(heardBy(record).join(' ')).toMatch(/0\D{0,3}1\D{0,3}0\D{0,3}1\b/);
  });
});

describe('Support line', () => {
  beforeEach(() => sandbox.airtable.reset(alwaysOpen()));

  test('a known caller is greeted by name; three silences end the call politely', async () => {
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana })
      .expectSay('Welcome to Acme Support')
      .say('agent')
      .expectSay('Hi Dana')
      .expectSay(/press 1/)
      .silence()
      .expectSay(/did not hear/)
      .silence()
      .expectSay(/did not hear/)
      .silence()
      .expectSay(/call again/)
      .expectHangup();
  });

  test('a SIP call to the line is recognised by the user part of its To URI', async () => {
    await call(sandbox, { to: `sip:${DEMO_LINES.support}@pbx.example.com`, from: `sip:${DEMO_CALLERS.dana}@carrier.example.net` })
      .expectSay('Welcome to Acme Support')
      .hangup();
  });

  test('an anonymous caller is not greeted by anyone\'s name', async () => {
    await call(sandbox, { to: DEMO_LINES.support, from: ANONYMOUS_CALLER_IDS.anonymous })
      .expectSay('Welcome to Acme Support')
      .press('0')
      .expectNotSay(/\bHi\b/)
      .expectSay(/press 1/)
      .hangup();
  });
});

describe('After-hours line', () => {
  test('answers in Spanish and understands "agente"', async () => {
    sandbox.airtable.reset(alwaysOpen());
    const record = await call(sandbox, { to: DEMO_LINES.afterHours, from: DEMO_CALLERS.luis })
      .expectSay('Gracias por llamar a Acme')
      .say('quiero hablar con un agente')
      .expectSay('Hola, Luis')
      .expectSay(/marque 1/)
      .hangup();
    const says = record.events.filter((event) => event.kind === 'say');
    expect(says.every((event) => event.kind === 'say' && event.language === 'es-US' && event.voice === 'Polly.Lupe')).toBe(true);
  });
});

test('a number that is no demo line hears a clear message and the call ends', async () => {
  await call(sandbox, { to: '+19995550123', from: DEMO_CALLERS.dana }).expectSay(/not set up/).expectHangup();
});
