// Twilio may deliver a callback twice, or two callbacks of a call in either order. Every event webhook
// of the catalog (the status callbacks of calls and texts, the recording callback, the Intelligence
// webhook, and any added later) delivered again, or twice at once, leaves Airtable and Twilio as one
// delivery did; the events of one call delivered in reverse order leave the same row.
import { demoBaseWithHours } from '../../sandbox/demo-data';
import type { Sandbox } from '../../sandbox/sandbox';
import { newCallSid, send, webhookCatalog } from '../../sandbox/webhook-catalog';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox(() => demoBaseWithHours('open'));
const events = webhookCatalog().filter((entry) => entry.kind === 'event');

/** What a delivery can change: every table's rows (fields only) and what Twilio created. */
function state(s: Sandbox): string {
  const tables = ['Calls', 'Callbacks', 'Contacts'].map((table) => s.airtable.records(table).map((r) => r.fields));
  return JSON.stringify({ tables, transcripts: s.twilio.transcripts().length, messages: s.twilio.messages().length, mails: s.sendgrid.mails().length });
}

test.each(events.map((e) => [e.path, e] as const))('%s delivered again, then twice at once: the same as once', async (_path, entry) => {
  const request = await entry.request(sandbox, newCallSid());
  const first = await send(sandbox, request);
  expect(first.status).toBeLessThan(500);
  const once = state(sandbox);
  expect((await send(sandbox, request)).status).toBe(first.status);
  expect(state(sandbox)).toBe(once);
  const together = await Promise.all([send(sandbox, request), send(sandbox, request)]);
  expect(together.map((a) => a.status)).toEqual([first.status, first.status]);
  expect(state(sandbox)).toBe(once);
});

test('the events of one call in reverse order leave the same call row as in order', async () => {
  const rowAfter = async (order: typeof events) => {
    const callSid = newCallSid();
    const requests: { entry: (typeof events)[number]; request: Awaited<ReturnType<(typeof events)[number]['request']>> }[] = [];
    for (const entry of events) requests.push({ entry, request: await entry.request(sandbox, callSid) });
    for (const { request } of order.map((e) => requests.find((r) => r.entry === e)!)) expect((await send(sandbox, request)).status).toBeLessThan(500);
    const row = sandbox.airtable.records('Calls').find((r) => r.fields['Call SID'] === callSid)!.fields;
    // Each call has its own SIDs (the call's, its recording's, its text's): compared as kinds.
    return JSON.parse(JSON.stringify(row).replace(/\b([A-Z]{2})[0-9a-f]{32}\b/g, '$1…')) as Record<string, unknown>;
  };
  const inOrder = await rowAfter(events);
  const reversed = await rowAfter([...events].reverse());
  expect(reversed).toEqual(inOrder);
  expect(Object.keys(inOrder)).toEqual(expect.arrayContaining(['Duration', 'Transcript']));
});
