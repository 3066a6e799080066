// /number/answer over signed webhooks against the emulators: confirmed numbers go to the path's next
// step, keyed ones are saved on the contact, and a caller who cannot give a number gets the other paths.
import { DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { voiceParams } from '../helpers/call-params';
import { useSandbox } from '../helpers/sandbox';
import { redirectOf, spoken } from '../helpers/twiml';

const sandbox = useSandbox(() => demoBaseWithHours('open'));

const post = (query: string, overrides: Record<string, string>) =>
  sandbox.post(`/number/answer?${query}`, voiceParams(sandbox.accountSid, { To: DEMO_LINES.support, ...overrides }));
const contacts = () => sandbox.airtable.records('Contacts').map((r) => r.fields);

test('yes to the number on file goes to the path with that number, and nothing is written to Contacts', async () => {
  const answer = await post('purpose=callback-now&stage=on-file&tries=0&Reason=billing', { From: DEMO_CALLERS.luis, Digits: '1' });
  expect(redirectOf(answer.body)).toBe('/callback/now?number=%2B13105550123&Reason=billing');
  expect(contacts()).toHaveLength(4);
});

test('a keyed number confirmed by a known caller becomes their Callback Number, with Last Interaction', async () => {
  const answer = await post('purpose=text-link&stage=keyed&tries=0&candidate=%2B14155550199', { From: DEMO_CALLERS.dana, SpeechResult: 'yes' });
  expect(redirectOf(answer.body)).toBe('/text/send?number=%2B14155550199&keyed=1');
  const dana = contacts().find((c) => c.Name === 'Dana Whitfield');
  expect(dana).toMatchObject({ Phone: DEMO_CALLERS.dana, 'Callback Number': '+14155550199' });
  expect(Date.parse(String(dana?.['Last Interaction']))).toBeGreaterThan(Date.now() - 60_000);
});

test('an unknown caller who keys a number becomes a contact with their caller ID and that number', async () => {
  await post('purpose=callback-now&stage=keyed&tries=0&candidate=%2B14155550199', { From: DEMO_CALLERS.stranger, Digits: '1' });
  expect(contacts()).toContainEqual(expect.objectContaining({ Phone: DEMO_CALLERS.stranger, 'Callback Number': '+14155550199' }));
});

test('an anonymous caller who keys a number becomes a contact with that Callback Number, once, however often Twilio repeats the webhook', async () => {
  const params = { From: 'anonymous', Digits: '1', CallSid: voiceParams(sandbox.accountSid).CallSid };
  await post('purpose=callback-now&stage=keyed&tries=0&candidate=%2B14155550199', params);
  await post('purpose=callback-now&stage=keyed&tries=0&candidate=%2B14155550199', params);
  const created = contacts().filter((c) => c['Callback Number'] === '+14155550199');
  expect(created).toHaveLength(1);
  expect(created[0].Phone).toBeUndefined();
});

test('when Contacts cannot be written the caller still goes on with the confirmed number', async () => {
  sandbox.airtable.faults.set({ status: 503, table: 'Contacts', method: 'PATCH' });
  const answer = await post('purpose=callback-now&stage=keyed&tries=0&candidate=%2B14155550199', { From: DEMO_CALLERS.stranger, Digits: '1' });
  expect(redirectOf(answer.body)).toBe('/callback/now?number=%2B14155550199&keyed=1');
});

test('a third invalid entry sends the caller back to the menu without that path, after an apology', async () => {
  const common = { From: 'anonymous' };
  const answer = await post('purpose=callback-now&stage=enter&tries=2', { ...common, Digits: '12#' });
  expect(spoken(answer.body)).toEqual(['Sorry, I could not get a number I can use.']);
  const menu = await sandbox.post(redirectOf(answer.body), voiceParams(sandbox.accountSid, { To: DEMO_LINES.support, ...common }));
  const said = spoken(menu.body);
  expect(said[0]).toBe('Here is what else I can do.');
  expect(said.join(' ')).not.toMatch(/call back right away/);
  expect(said.join(' ')).toMatch(/person now/);
});

test('a turn that is not ours goes back to the menu instead of failing', async () => {
  const answer = await post('purpose=nonsense&stage=enter', { From: DEMO_CALLERS.dana, Digits: '1' });
  expect(redirectOf(answer.body)).toMatch(/^\/escalate/);
});
