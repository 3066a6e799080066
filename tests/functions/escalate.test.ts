// /escalate and its choice step, over signed webhooks against the emulators.
import { DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { startSandbox } from '../../sandbox/sandbox';
import { voiceParams } from '../helpers/call-params';
import { useSandbox } from '../helpers/sandbox';
import { gatherOf, spoken, verbNames } from '../helpers/twiml';

const sandbox = useSandbox(() => demoBaseWithHours('open'));

const menuUrl = async (overrides: Record<string, string>) => gatherOf((await escalate(overrides)).body).attributes.action;
const escalate = (overrides: Record<string, string>, path = '/escalate') => sandbox.post(path, voiceParams(sandbox.accountSid, overrides));

describe('the menu', () => {
  test('a national-format SIP caller ID is read in the caller\'s country and recognised', async () => {
    const answer = await escalate({ To: DEMO_LINES.support, From: 'sip:4155550142@trunk.example.net', FromCountry: 'US' });
    expect(spoken(answer.body)[0]).toBe('Hi Dana.');
  });

  test('After-hours (callbacks only): the Spanish menu', async () => {
    const answer = await escalate({ To: DEMO_LINES.afterHours, From: DEMO_CALLERS.stranger });
    const gather = gatherOf(answer.body);
    expect(gather.attributes.language).toBe('es-US');
    expect(spoken(answer.body)).toEqual([
      'Para que le llamemos de inmediato, marque 1 o diga llámenme.',
      'Para programar una llamada para más tarde, marque 2 o diga programar.',
      'Para escuchar estas opciones otra vez, marque 9.',
    ]);
  });

  test('an anonymous caller with nothing on file is offered a text (they key a number in) but not an email', async () => {
    const answer = await escalate({ To: DEMO_LINES.support, From: 'anonymous' });
    const said = spoken(answer.body).join(' ');
    expect(said).toMatch(/person now/);
    expect(said).toMatch(/call back right away/);
    expect(said).toMatch(/get a text/);
    expect(said).not.toMatch(/email/);
  });

});

describe('feature flags and line switches', () => {
  test.each([
    ['FEATURE_SMS', /text/],
    ['FEATURE_EMAIL', /email/],
    ['FEATURE_IVR_BRIDGE_CALL', /person now/],
    ['FEATURE_SMART_CALLBACK_SCHEDULING', /schedule/],
  ])('%s=false removes its path', async (flag, pattern) => {
    const flagged = await startSandbox({ seed: demoBaseWithHours('open'), env: { [flag]: 'false' } });
    try {
      const answer = await flagged.post('/escalate', voiceParams(flagged.accountSid, { To: DEMO_LINES.support, From: DEMO_CALLERS.dana }));
      expect(spoken(answer.body).join(' ')).not.toMatch(pattern);
      expect(gatherOf(answer.body).children.length).toBeGreaterThan(1);
    } finally {
      await flagged.close();
    }
  });

  test('outside business hours no live transfer is offered', async () => {
    const base = demoBaseWithHours('open');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
    Object.assign(base.Lines[0], { Holidays: today });
    sandbox.airtable.reset(base);
    const answer = await escalate({ To: DEMO_LINES.sales, From: DEMO_CALLERS.stranger });
    expect(verbNames(answer.body)).toEqual(['Say', 'Say', 'Say', 'Hangup']);
  });
});

describe('the choice', () => {
  test('pressing 1 logs Offered and Chosen in one upsert, and the live transfer answers with its <Dial>', async () => {
    const callSid = voiceParams(sandbox.accountSid).CallSid;
    const common = { To: DEMO_LINES.support, From: DEMO_CALLERS.dana, CallSid: callSid };
    const action = await menuUrl(common);
    sandbox.airtable.stats.reset();
    const chosen = await sandbox.post(action, voiceParams(sandbox.accountSid, { ...common, Digits: '1' }));
    expect(sandbox.airtable.stats.counts().Calls).toEqual({ PATCH: 1 });
    expect(sandbox.airtable.records('Calls')[0].fields['Bot Log']).toBe(
      [
        'Bot: Hi Dana.',
        'Bot: To talk to a person now, press 1 or say agent.',
        'Bot: To get a call back right away, press 2 or say call me back.',
        'Bot: To schedule a call back for later, press 3 or say schedule.',
        'Bot: To get a text with our support details, press 4 or say text.',
        'Bot: To get our contact information by email, press 5 or say email.',
        'Bot: To hear these options again, press 9.',
        'Caller pressed: 1',
      ].join('\n'),
    );
    const [row] = sandbox.airtable.records('Calls');
    expect(row.fields).toMatchObject({
      'Call SID': callSid,
      Line: DEMO_LINES.support,
      From: DEMO_CALLERS.dana,
      Contact: 'Dana Whitfield',
      Offered: 'Live Transfer, Phone Callback, Scheduled Callback, Text Link, Email Contact',
      Chosen: 'Live Transfer',
    });
    // The live transfer answers the choice itself: the <Dial>, after its one write.
    expect(verbNames(chosen.body)).toEqual(['Say', 'Say', 'Dial']);
    expect(row.fields).toMatchObject({ 'Transfer Method': 'Bridge', Outcome: 'Transferring' });
  });

  test('speech picks a path', async () => {
    const common = { To: DEMO_LINES.support, From: DEMO_CALLERS.dana };
    const action = await menuUrl(common);
    await sandbox.post(action, voiceParams(sandbox.accountSid, { ...common, SpeechResult: 'Can you email me please?', Confidence: '0.9' }));
    expect(sandbox.airtable.records('Calls')[0].fields.Chosen).toBe('Email Contact');
  });

  test('9 repeats the menu without counting as a miss', async () => {
    const common = { To: DEMO_LINES.support, From: DEMO_CALLERS.dana };
    const action = await menuUrl(common);
    const answer = await sandbox.post(action, voiceParams(sandbox.accountSid, { ...common, Digits: '9' }));
    expect(gatherOf(answer.body).attributes.action).toContain('attempt=0');
    expect(spoken(answer.body)[0]).toBe('To talk to a person now, press 1 or say agent.');
  });

});

describe('when Airtable misbehaves', () => {
  test('the line and the contact are fetched at the same time', async () => {
    sandbox.airtable.faults.set({ latencyMs: 300 });
    await escalate({ To: DEMO_LINES.support, From: DEMO_CALLERS.dana });
    expect(sandbox.airtable.stats.peakInFlight()).toBeGreaterThanOrEqual(2);
  });

  test('a 503 is retried within the budget and the caller hears the real menu', async () => {
    sandbox.airtable.faults.set({ status: 503, times: 2 });
    const answer = await escalate({ To: DEMO_LINES.support, From: DEMO_CALLERS.dana });
    expect(spoken(answer.body)[0]).toBe('Hi Dana.');
  });

  test('a 429 is not retried (the base is refused for 30 s): the caller still gets a menu at once', async () => {
    await escalate({ To: DEMO_LINES.support, From: DEMO_CALLERS.dana }); // a warm instance knows the line
    sandbox.airtable.faults.set({ status: 429, times: 1 });
    const started = Date.now();
    const answer = await escalate({ To: DEMO_LINES.support, From: DEMO_CALLERS.stranger });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(spoken(answer.body).join(' ')).toMatch(/press 1/);
  });

  test('a failed call-log write is sent again on the call\'s next webhook', async () => {
    const callSid = voiceParams(sandbox.accountSid).CallSid;
    const common = { To: DEMO_LINES.support, From: DEMO_CALLERS.dana, CallSid: callSid };
    const action = await menuUrl(common);
    sandbox.airtable.faults.set({ status: 500, table: 'Calls' });
    const chosen = await sandbox.post(action, voiceParams(sandbox.accountSid, { ...common, Digits: '2' }));
    expect(sandbox.airtable.records('Calls')).toHaveLength(0);
    sandbox.airtable.faults.clear();
    // The call's next webhook (here the answer to "shall we call you at the number ending in 0142?").
    await sandbox.post(gatherOf(chosen.body).attributes.action, voiceParams(sandbox.accountSid, { ...common, Digits: '2' }));
    expect(sandbox.airtable.records('Calls')).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ 'Call SID': callSid, Chosen: 'Phone Callback' }) }),
    ]);
  });

});
