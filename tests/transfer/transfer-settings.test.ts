// Live transfer under other account settings: SIP_DOMAIN set, and Voice Intelligence off.
import { DEMO_AGENT_NUMBER, DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { call } from '../../sandbox/simulator/call-script';
import { voiceParams } from '../helpers/call-params';
import { useSandbox } from '../helpers/sandbox';
import { gatherOf, verbNames } from '../helpers/twiml';

function referLine() {
  const base = demoBaseWithHours('open');
  Object.assign(base.Lines.find((l) => l.Name === 'Sales')!, { 'Transfer Method': 'SIP REFER' });
  return base;
}

// "off" is not a service SID: the project treats it as no Voice Intelligence (the sandbox sets one by default).
const sandbox = useSandbox(referLine, { env: { SIP_DOMAIN: 'sip.acme.example', INTELLIGENCE_SERVICE_SID: 'off', LINE_CACHE_SECONDS: '60' } });

test('a blank SIP URI with SIP_DOMAIN set: the REFER goes to sip:<fallback>@SIP_DOMAIN, not the inbound host', async () => {
  const record = await call(sandbox, { to: `sip:${DEMO_LINES.sales}@pbx.example.com`, from: `sip:${DEMO_CALLERS.stranger}@pbx.example.com` })
    .say('agent')
    .press('1')
    .refer('accepted')
    .expectEnd('transfer');
  expect(record.events.find((e) => e.kind === 'refer')).toMatchObject({ target: `sip:${DEMO_AGENT_NUMBER}@sip.acme.example?X-IVR-Line=Sales` });
});

test('Intelligence off: the recording is stored on the row and no transcript is requested', async () => {
  const record = await call(sandbox, { to: DEMO_LINES.sales, from: DEMO_CALLERS.dana })
    .say('agent')
    .press('1')
    .agent({ answer: 'accept' })
    .expectEnd('party');
  const row = sandbox.airtable.records('Calls').find((r) => r.fields['Call SID'] === record.callSid)?.fields;
  expect(row?.['Recording SID']).toMatch(/^RE/);
  expect(sandbox.twilio.transcripts()).toHaveLength(0);
  expect(sandbox.twilio.requests().filter((r) => r.resource === 'transcripts')).toHaveLength(0);
});

test('between the caller\'s yes and the <Dial> there is no Airtable read: one Calls write carries the choice', async () => {
  const params = voiceParams(sandbox.accountSid, { To: DEMO_LINES.sales, From: DEMO_CALLERS.dana });
  const menu = gatherOf((await sandbox.post('/escalate', params)).body);
  sandbox.airtable.stats.reset();
  const answer = await sandbox.post(menu.attributes.action, { ...params, Digits: '1' });
  expect(verbNames(answer.body)).toEqual(['Say', 'Say', 'Dial']);
  expect(sandbox.airtable.stats.counts()).toEqual({ Calls: { PATCH: 1 } });
  const row = sandbox.airtable.records('Calls').find((r) => r.fields['Call SID'] === params.CallSid)?.fields;
  expect(row).toMatchObject({ Chosen: 'Live Transfer', Offered: 'Live Transfer', 'Transfer Method': 'Bridge', Outcome: 'Transferring', Contact: 'Dana Whitfield' });
});
