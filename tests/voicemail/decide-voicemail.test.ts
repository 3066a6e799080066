// The voicemail path's pure decisions: the menu's sixth option, the prompt and <Record>, what a
// recording of each length leads to, the Callbacks row, the team email, and the agent's whisper.
import { decideAgentWhisper } from '../../src/assets/callback/decisions.private';
import { firstSentence, readTranscriptKey, transcriptKey } from '../../src/assets/core/call-events.private';
import { decideMenu, readMenuAnswer } from '../../src/assets/core/menu.private';
import type { Path } from '../../src/assets/core/model.private';
import type { CallbackRow } from '../../src/assets/core/rows.private';
import { renderStep } from '../../src/assets/core/render-twiml.private';
import type { Step } from '../../src/assets/core/steps.private';
import * as decide from '../../src/assets/voicemail/decisions.private';
import { testLine } from '../helpers/line';

const line = testLine({ name: 'Support', phoneNumber: '+12025550120', voicemail: true, voicemailMaxSeconds: 90, timezone: 'America/New_York' });
const spanish = testLine({ name: 'Ayuda', phoneNumber: '+12025550130', language: 'es-US', voicemail: true });
const ALL: Path[] = ['live-transfer', 'callback-now', 'callback-scheduled', 'text-link', 'email', 'voicemail'];
const urls: decide.RecordUrls = { action: (n) => `/voicemail/recorded?try=${n}`, recordingStatusCallback: '/voicemail/recording?Line=%2B12025550120' };
const spokenOf = (step: ReturnType<typeof decideMenu>) => ('prompt' in step ? step.prompt : 'say' in step ? step.say : []).map((u) => u.text);

describe('the menu', () => {
  test('voicemail is offered last: "to leave a message, press 6 or say message", with its speech hint', () => {
    const step = decideMenu({ line, offered: ALL, attempt: 0, carry: '' });
    expect(spokenOf(step)).toContain('To leave a message, press 6 or say message.');
    expect(step.kind === 'gather' && step.hints).toContain('message');
  });

  test('alone, it is a yes/no question; Spanish says recado', () => {
    expect(spokenOf(decideMenu({ line, offered: ['voicemail'], attempt: 0, carry: '' }))).toEqual(['Would you like to leave a message? Say yes or press 1, or say no or press 2.']);
    const es = decideMenu({ line: spanish, offered: ['callback-now', 'voicemail'], attempt: 0, carry: '' });
    expect(spokenOf(es)).toContain('Para dejar un recado, marque 2 o diga recado.');
    expect(es.kind === 'gather' && es.hints).toEqual(['llámenme', 'recado']);
  });

  test.each<[string, string, Path[], Path | undefined]>([
    ['"message" leaves one', 'message', ALL, 'voicemail'],
    ['"leave a voicemail"', 'I want to leave a voicemail', ALL, 'voicemail'],
    ['"text message" is still a text', 'send me a text message', ALL, 'text-link'],
    ['"message" without voicemail on offer is a text, as before', 'message', ['live-transfer', 'text-link'], 'text-link'],
    ['"dejar un recado"', 'quiero dejar un recado', ALL, 'voicemail'],
    ['"mensaje de texto" is a text', 'un mensaje de texto', ALL, 'text-link'],
    ['"six"', 'six', ALL, 'voicemail'],
  ])('by speech: %s', (_name, speech, offered, expected) => {
    const answer = readMenuAnswer(offered, undefined, speech, 'en-US');
    expect(answer.kind === 'chosen' ? answer.path : undefined).toBe(expected);
  });
});

describe('before the beep', () => {
  test('the prompt and a <Record>: max length from the line, # ends, silence timeout, beep, action and recording callback', () => {
    const step = decide.decideRecordStep(line, { number: '+14155550142', tail: '0142' }, 1, urls);
    expect(renderStep(step).toString()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        '<Say language="en-US">Please leave your message after the beep, and press the pound key when you are done.</Say>' +
        '<Record action="/voicemail/recorded?try=1" method="POST" maxLength="90" finishOnKey="#" timeout="5" playBeep="true" trim="trim-silence" ' +
        'recordingStatusCallback="/voicemail/recording?Line=%2B12025550120" recordingStatusCallbackMethod="POST" recordingStatusCallbackEvent="completed"/>' +
        '<Redirect method="POST">/voicemail/recorded?try=1&amp;empty=1</Redirect></Response>',
    );
  });

  test('a caller we cannot call back is told first; the second try says it is the second', () => {
    const say = (caller: decide.VoicemailCaller, n: number) => (decide.decideRecordStep(line, caller, n, urls) as Extract<Step, { kind: 'record' }>).say.map((u) => u.text);
    expect(say({ tail: '0188' }, 1)[0]).toBe('We will pass your message on to the team, but we will not be able to call you back.');
    expect(say({ number: '+14155550142' }, 2)[0]).toBe('Sorry, I did not get a message. Please try once more after the beep.');
  });

  test.each([
    ['a known caller', { callerId: '+14155550142', contact: { id: 'r', name: 'Dana Whitfield', phone: '+14155550142', doNotContact: false } }, { number: '+14155550142', name: 'Dana Whitfield', tail: '0142' }],
    ['Do Not Contact: no number to call back', { callerId: '+16175550188', contact: { id: 'r', name: 'Morgan Reyes', doNotContact: true } }, { name: 'Morgan Reyes', tail: '0188' }],
    ['anonymous', {}, {}],
    ['a stranger', { callerId: '+17185550111' }, { number: '+17185550111', tail: '0111' }],
  ])('who can be called back: %s', (_name, caller, expected) => {
    expect(decide.voicemailCallerOf(caller)).toEqual(expected);
  });

  test('the callback URL is read back checked', () => {
    expect(decide.callerFromQuery({ number: '+14155550142', name: ' Dana ', tail: '0142' })).toEqual({ number: '+14155550142', name: 'Dana', tail: '0142' });
    expect(decide.callerFromQuery({ number: 'call me', tail: '12345' })).toEqual({});
  });
});

describe('after the beep', () => {
  test.each<[string, Record<string, string>, number, string]>([
    ['a message of 2 s or more is kept', { RecordingUrl: 'u', RecordingDuration: '2' }, 1, 'kept'],
    ['too short, first try: once more', { RecordingUrl: 'u', RecordingDuration: '1' }, 1, 'again'],
    ['empty (the redirect after <Record>), first try: once more', { empty: '1' }, 1, 'again'],
    ['empty again: nothing kept', { empty: '1' }, 2, 'nothing-kept'],
    ['too short again: nothing kept', { RecordingUrl: 'u', RecordingDuration: '1' }, 2, 'nothing-kept'],
  ])('%s', (_name, params, tryNumber, kind) => {
    expect(decide.decideAfterRecording(line, {}, decide.messageSecondsOf(params), tryNumber).kind).toBe(kind);
  });

  test('kept: thanks, and whether we will call back', () => {
    const kept = (caller: decide.VoicemailCaller) => decide.decideAfterRecording(line, caller, 10, 1);
    expect(kept({ number: '+14155550142' })).toMatchObject({ step: { kind: 'say-and-hangup', say: [{ text: 'Thank you. We got your message and will call you back at the number ending in 0142. Goodbye.' }] } });
    expect(kept({})).toMatchObject({ step: { say: [{ text: 'Thank you. We got your message and will pass it on to the team. Goodbye.' }] } });
  });

  test('only a Twilio recording URL names a recording', () => {
    expect(decide.recordingSidOf(`https://api.twilio.com/2010-04-01/Accounts/AC${'1'.repeat(32)}/Recordings/RE${'a'.repeat(32)}`)).toBe(`RE${'a'.repeat(32)}`);
    expect(decide.recordingSidOf(`https://evil.example/Recordings/RE${'a'.repeat(32)}`)).toBeUndefined();
  });

  test('the Callbacks row: Voicemail, Queued, due now when open, at the opening when closed', () => {
    const now = new Date('2026-06-17T15:00:00Z');
    const base = { line, number: '+14155550142', name: 'Dana Whitfield', originCallSid: `CA${'1'.repeat(32)}`, reason: 'billing', voicemailUrl: 'https://x', now };
    expect(decide.voicemailCallbackRow({ ...base, timing: { kind: 'now' } })).toEqual({
      line: '+12025550120',
      phone: '+14155550142',
      kind: 'Voicemail',
      status: 'Queued',
      attempts: 0,
      nextAttemptAt: now.toISOString(),
      originCallSid: base.originCallSid,
      voicemailUrl: 'https://x',
      contact: 'Dana Whitfield',
      reason: 'billing',
    });
    const opening = new Date('2026-06-18T13:00:00Z');
    expect(decide.voicemailCallbackRow({ ...base, timing: { kind: 'at', at: opening } }).nextAttemptAt).toBe(opening.toISOString());
  });
});

describe('one callback row per message, one open callback per number and line', () => {
  const CALL = `CA${'1'.repeat(32)}`;
  const row = (id: string, createdTime: string, more: Partial<CallbackRow> = {}): CallbackRow => ({
    id,
    createdTime,
    line: line.phoneNumber,
    phone: '+14155550142',
    kind: 'Voicemail',
    status: 'Queued',
    attempts: 0,
    originCallSid: CALL,
    ...more,
  });

  test.each<[string, CallbackRow[], decide.VoicemailCallbackPlan['kind']]>([
    ['nothing yet: create', [], 'create'],
    ['the call left its row already (a redelivery): stored', [row('recA', '2026-06-17T15:00:00.000Z')], 'stored'],
    ['its row was called back since: still stored, not a second one', [row('recA', '2026-06-17T15:00:00.000Z', { status: 'Connected' })], 'stored'],
    ['the caller waits for another callback: join it', [row('recB', '2026-06-17T14:00:00.000Z', { kind: 'Scheduled', status: 'Booked', originCallSid: `CA${'2'.repeat(32)}` })], 'join'],
    ['a closed callback of another call does not count', [row('recB', '2026-06-17T14:00:00.000Z', { kind: 'Now', status: 'Failed', originCallSid: `CA${'2'.repeat(32)}` })], 'create'],
  ])('%s', (_name, peers, kind) => {
    expect(decide.planVoicemailCallback(peers, CALL).kind).toBe(kind);
  });

  test('joins the open callback created first', () => {
    const later = row('recL', '2026-06-17T14:30:00.000Z', { kind: 'Now', originCallSid: `CA${'3'.repeat(32)}` });
    const first = row('recF', '2026-06-17T14:00:00.000Z', { kind: 'Scheduled', status: 'Booked', originCallSid: `CA${'2'.repeat(32)}` });
    expect(decide.planVoicemailCallback([later, first], CALL)).toEqual({ kind: 'join', row: first });
  });

  test('the recount: the row created first stays, whatever order Airtable lists them in', () => {
    const a = row('recA', '2026-06-17T15:00:00.000Z');
    const b = row('recB', '2026-06-17T15:00:01.000Z');
    expect(decide.givesWayTo(a, [b, a])).toBeUndefined();
    expect(decide.givesWayTo(b, [b, a])).toBe(a);
  });

  test('the recount: rows of the same second are ranked by record id, so exactly one of two stays', () => {
    const a = row('recAAAA', '2026-06-17T15:00:00.000Z');
    const b = row('recBBBB', '2026-06-17T15:00:00.000Z');
    expect([decide.givesWayTo(a, [a, b]), decide.givesWayTo(b, [a, b])]).toEqual([undefined, a]);
  });

  test('the recount: alone, or after a closed row, the row stays; an earlier open callback of the number keeps the message', () => {
    const mine = row('recM', '2026-06-17T15:00:00.000Z');
    expect(decide.givesWayTo(mine, [mine])).toBeUndefined();
    expect(decide.givesWayTo(mine, [mine, row('recC', '2026-06-17T14:00:00.000Z', { status: 'Cancelled' })])).toBeUndefined();
    const booked = row('recK', '2026-06-17T14:59:59.000Z', { kind: 'Scheduled', status: 'Booked', originCallSid: `CA${'2'.repeat(32)}` });
    expect(decide.givesWayTo(mine, [mine, booked])).toBe(booked);
  });

  test('the recount: a row without its createdTime ranks with nobody, so it stays (two calls back beat none)', () => {
    const mine = row('recM', '2026-06-17T15:00:00.000Z');
    const { createdTime: _unknown, ...undated } = row('recA', '');
    expect(decide.givesWayTo(mine, [mine, undated])).toBeUndefined();
    expect(decide.givesWayTo(undated, [mine, undated])).toBeUndefined();
  });
});

describe('the team email', () => {
  const input = { line, recordingSid: `RE${'b'.repeat(32)}`, seconds: 14, at: new Date('2026-06-17T15:04:00Z'), zone: 'America/New_York', reason: 'billing' };

  test('an unknown caller: named by the last four digits, never the full number in the subject', () => {
    const mail = decide.composeVoicemailEmail({ ...input, caller: { number: '+17185550111', tail: '0111' } });
    expect(mail.subject).toBe('Support: new voicemail from an unknown caller ending in 0111');
    expect(mail.text).toContain('Left at: Wednesday 17 June 2026, 11:04 EDT');
    expect(mail.text).toContain('Length: 14 seconds');
    expect(mail.text).toContain('Call back: +17185550111');
    expect(mail.text).toContain('Reason: billing');
    expect(mail.text).toContain(`https://console.twilio.com/us1/monitor/logs/call-recordings?frameUrl=%2Fconsole%2Fvoice%2Frecordings%2Frecording-logs%2F${input.recordingSid}`);
    expect(mail.text).toContain('The transcript will follow');
  });

  test('a known caller by first name; Do Not Contact says no call back; Spanish line in Spanish', () => {
    const mail = decide.composeVoicemailEmail({ ...input, caller: { name: 'Morgan Reyes', tail: '0188' } });
    expect(mail.subject).toBe('Support: new voicemail from Morgan');
    expect(mail.text).toContain('Call back: No call back');
    expect(mail.html).toContain('<a href="https://console.twilio.com/');
    expect(decide.composeVoicemailEmail({ ...input, line: spanish, caller: {} }).subject).toBe('Ayuda: nuevo recado de un cliente desconocido');
  });
});

describe('the call back a voicemail becomes', () => {
  const row: CallbackRow = { id: 'recV', line: line.phoneNumber, phone: '+14155550142', kind: 'Voicemail', status: 'Dialing', attempts: 1, contact: 'Dana Whitfield' };
  const said = (step: ReturnType<typeof decideAgentWhisper>) => ('prompt' in step ? step.prompt : 'say' in step ? step.say : []).map((u) => u.text);

  test('the agent hears it is about a voicemail, and its first sentence when transcribed', () => {
    expect(said(decideAgentWhisper({ ...line, agentMustAccept: true }, row, 1, 'My order never came.'))).toEqual([
      'Call back for Support, about a voicemail Dana Whitfield left.',
      'They said: My order never came.',
      'Press 1 to call them now.',
    ]);
    expect(said(decideAgentWhisper(line, { ...row, contact: undefined }, 1))[0]).toBe('Call back for Support, about a voicemail a caller left.');
  });

  test('an immediate callback\'s whisper is unchanged', () => {
    expect(said(decideAgentWhisper(line, { ...row, kind: 'Now' }, 1, 'ignored'))[0]).toBe('Call back for Support. Dana Whitfield is waiting.');
  });

  test.each([
    ['Hi, my order never came. Please call.', 'Hi, my order never came.'],
    ['no punctuation at all', 'no punctuation at all'],
    ['', undefined],
  ])('first sentence of %p', (text, expected) => {
    expect(firstSentence(text)).toBe(expected);
  });

  test('a voicemail transcript names its call apart from the bridge transcript', () => {
    const sid = `CA${'c'.repeat(32)}`;
    expect(readTranscriptKey(transcriptKey(sid, 'voicemail'))).toEqual({ callSid: sid, of: 'voicemail' });
    expect(readTranscriptKey(transcriptKey(sid, 'call'))).toEqual({ callSid: sid, of: 'call' });
    expect(readTranscriptKey('voicemail:nope')).toBeUndefined();
  });
});
