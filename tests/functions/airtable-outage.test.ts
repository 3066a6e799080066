// Airtable failing on a cold instance and on a warm one. Each jest file loads the Functions afresh,
// which is exactly a cold Function instance: its line cache is empty.
import { DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { voiceParams } from '../helpers/call-params';
import { spoken, verbNames } from '../helpers/twiml';


async function withSandbox(env: Record<string, string>, run: (s: Sandbox) => Promise<void>) {
  const s = await startSandbox({ seed: demoBaseWithHours('open'), env });
  try {
    await run(s);
  } finally {
    await s.close();
  }
}

test.each([
  ['answers 500', { status: 500 as const }],
  ['answers 429', { status: 429 as const }],
])('Airtable %s on a cold instance: FALLBACK_TRANSFER_NUMBER still gets the caller a menu in time', async (_case, fault) => {
  await withSandbox({ FALLBACK_TRANSFER_NUMBER: '+12025550199', WEBHOOK_BUDGET_SECONDS: '2' }, async (s) => {
    s.airtable.faults.set(fault);
    const answer = await s.post('/escalate', voiceParams(s.accountSid, { To: DEMO_LINES.support, From: DEMO_CALLERS.dana }));
    expect(answer.status).toBe(200);
    expect(spoken(answer.body)).toContain('Would you like me to connect you to a person now? Say yes or press 1, or say no or press 2.');
  });
});

test('Airtable down after a warm call: the cached line still gets the caller its menu', async () => {
  await withSandbox({ LINE_CACHE_SECONDS: '60', WEBHOOK_BUDGET_SECONDS: '2' }, async (s) => {
    await s.post('/escalate', voiceParams(s.accountSid, { To: DEMO_LINES.support, From: DEMO_CALLERS.dana }));
    s.airtable.faults.set({ hang: true });
    const answer = await s.post('/escalate', voiceParams(s.accountSid, { To: DEMO_LINES.support, From: DEMO_CALLERS.dana }));
    // The contact could not be read, so nothing that needs it (the email) is offered; the rest is.
    expect(spoken(answer.body)).toEqual([
      'To talk to a person now, press 1 or say agent.',
      'To get a call back right away, press 2 or say call me back.',
      'To schedule a call back for later, press 3 or say schedule.',
      'To get a text with our support details, press 4 or say text.',
      'To hear these options again, press 9.',
    ]);
  });
});

test('Airtable hanging with no cache and no fallback number: a kind goodbye, not an error', async () => {
  await withSandbox({ WEBHOOK_BUDGET_SECONDS: '2' }, async (s) => {
    s.airtable.faults.set({ hang: true });
    // Sales: a line no earlier test in this file (this Function instance) has cached.
    const answer = await s.post('/voice/incoming', voiceParams(s.accountSid, { To: DEMO_LINES.sales }));
    expect(answer.status).toBe(200);
    expect(verbNames(answer.body)).toEqual(['Say', 'Hangup']);
    expect(spoken(answer.body)[0]).toMatch(/technical trouble/);
  });
});

test('Airtable refusing the request outright (wrong base): the fallback number, else a kind goodbye', async () => {
  await withSandbox({ AIRTABLE_BASE_ID: 'appNoSuchBase0000', FALLBACK_TRANSFER_NUMBER: '+12025550199' }, async (s) => {
    const answer = await s.post('/escalate', voiceParams(s.accountSid, { To: DEMO_LINES.afterHours, From: DEMO_CALLERS.dana }));
    expect(spoken(answer.body)).toEqual(['Would you like me to connect you to a person now? Say yes or press 1, or say no or press 2.']);
  });
  await withSandbox({ AIRTABLE_BASE_ID: 'appNoSuchBase0000' }, async (s) => {
    const answer = await s.post('/escalate', voiceParams(s.accountSid, { To: '+12025550177', From: DEMO_CALLERS.dana }));
    expect(verbNames(answer.body)).toEqual(['Say', 'Hangup']);
    expect(spoken(answer.body)[0]).toMatch(/technical trouble/);
  });
});
