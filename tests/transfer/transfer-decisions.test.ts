// The live transfer's pure decisions, table-driven.
import type { Line } from '../../src/assets/core/model.private';
import { arrivedOverSip, bridgeStep, decideAfterDial, decideTransferPlan, decideWhisper, decideWhisperAnswer, dialOutcome, MAX_SIP_HEADER_VALUE, MAX_SIP_HEADERS_LENGTH, referSucceeded, whisperCallerOf, whisperOf, whisperQuery, withSipHeaders } from '../../src/assets/transfer/decisions.private';
import { callStatusFields, speakersOf, transcriptChannel, transcriptText, wrapUpNotes } from '../../src/assets/core/call-events.private';
import { testLine } from '../helpers/line';

const line: Line = testLine({
  name: 'Sales',
  phoneNumber: '+12025550110',
  timezone: 'America/New_York',
  fallbackTransferNumber: '+12025550100',
  transferMethod: 'SIP REFER',
  liveTransfer: true,
  recordAgentLeg: true,
  recordingNotice: 'This call may be recorded.',
  agentMustAccept: true,
});

describe('which method', () => {
  const sipTo = 'sip:+12025550110@pbx.example.com';
  test.each([
    ['Bridge line, SIP call', { ...line, transferMethod: 'Bridge' as const }, { to: sipTo }, undefined, 'Bridge', undefined],
    ['REFER line, PSTN call (13801 otherwise)', line, { to: '+12025550110' }, 'sip.acme.example', 'Bridge', undefined],
    ['REFER line, SIP call, blank SIP URI: the inbound host', line, { to: sipTo }, undefined, 'SIP REFER', 'sip:+12025550100@pbx.example.com'],
    ['REFER line, SIP call, SIP_DOMAIN wins over the inbound host', line, { to: sipTo }, 'sip.acme.example', 'SIP REFER', 'sip:+12025550100@sip.acme.example'],
    ['REFER line, SIP trunk call (E.164 To) with SIP_DOMAIN', line, { to: '+12025550110', sipCallId: 'abc@10.0.0.1' }, 'sip.acme.example', 'SIP REFER', 'sip:+12025550100@sip.acme.example'],
    ['REFER line, SIP trunk call, neither a SIP host nor SIP_DOMAIN: bridged', line, { to: '+12025550110', sipCallId: 'abc@10.0.0.1' }, undefined, 'Bridge', undefined],
    ['REFER line with its own SIP URI', { ...line, sipUri: 'sip:desk@pbx.acme.example' }, { to: sipTo }, undefined, 'SIP REFER', 'sip:desk@pbx.acme.example'],
    ['a SIP URI that is not one: bridged', { ...line, sipUri: 'http://evil.example' }, { to: sipTo }, undefined, 'Bridge', undefined],
  ])('%s', (_name, theLine, leg, sipDomain, method, target) => {
    const plan = decideTransferPlan({ line: theLine, leg, sipDomain });
    expect(plan?.method).toBe(method);
    if (plan?.method === 'SIP REFER') expect(plan.sipUri.split('?')[0]).toBe(target);
  });

  test('no fallback number: no plan', () => {
    expect(decideTransferPlan({ line: { ...line, fallbackTransferNumber: undefined }, leg: { to: '+12025550110' } })).toBeUndefined();
  });

  test('arrivedOverSip: a sip: To or a SipCallId', () => {
    expect(arrivedOverSip({ to: 'sips:alice@example.com' })).toBe(true);
    expect(arrivedOverSip({ to: '+12025550110', sipCallId: 'x' })).toBe(true);
    expect(arrivedOverSip({ to: '+12025550110' })).toBe(false);
  });
});

describe('X- headers on the REFER target', () => {
  test('values are URL-encoded and cut; empty ones and reserved or malformed names are left out', () => {
    const uri = withSipHeaders('sip:desk@pbx.example.com', {
      'X-IVR-Line': 'Sales & Support',
      'X-IVR-Reason': `refund; ${'x'.repeat(200)}`,
      'X-IVR-Contact': undefined,
      'X-Twilio-Foo': 'no',
      'Bad Name': 'no',
    });
    const [, query] = uri.split('?');
    const params = new URLSearchParams(query);
    expect([...params.keys()]).toEqual(['X-IVR-Line', 'X-IVR-Reason']);
    expect(query).toContain('X-IVR-Line=Sales%20%26%20Support');
    expect(params.get('X-IVR-Reason')).toHaveLength(MAX_SIP_HEADER_VALUE);
    expect(query).not.toMatch(/[ ;]/);
  });

  test('the header part stays under Twilio’s 1024-character limit (21227)', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`X-H${i}`, 'é'.repeat(60)]));
    const uri = withSipHeaders('sip:desk@pbx.example.com', many);
    expect(uri.split('?')[1].length).toBeLessThanOrEqual(MAX_SIP_HEADERS_LENGTH);
  });

  test('the plan carries line, reason and contact', () => {
    const plan = decideTransferPlan({ line, leg: { to: 'sip:+12025550110@pbx.example.com' }, reason: 'billing', contact: { id: 'rec1', name: 'Dana Whitfield', doNotContact: false } });
    expect(plan).toMatchObject({ sipUri: 'sip:+12025550100@pbx.example.com?X-IVR-Line=Sales&X-IVR-Reason=billing&X-IVR-Contact=Dana%20Whitfield' });
  });
});

describe('the whisper', () => {
  const round = (caller: Parameters<typeof whisperQuery>[1], reason?: string, theLine: Line = line) => whisperOf(whisperQuery(theLine, caller, reason));
  const texts = (step: ReturnType<typeof decideWhisper>) => (step.kind === 'gather' ? step.prompt : 'say' in step ? step.say : []).map((u) => u.text);

  test('a known caller by first name, the reason, then press 1 (keys only: a voicemail greeting cannot accept)', () => {
    const step = decideWhisper(round(whisperCallerOf({ id: 'r', name: 'Dana Whitfield', doNotContact: false }, '+14155550142'), 'billing question'), '/a');
    expect(texts(step)).toEqual(['Incoming call for Sales.', 'The caller is Dana.', 'Reason: billing question.', 'Press 1 to take the call.']);
    expect(step).toMatchObject({ kind: 'gather', keysOnly: true, numDigits: 1, action: '/a', onSilence: '/a?silence=1' });
  });

  test.each([
    ['an unknown caller: the last four digits, one by one', '+17185554321', 'An unknown caller ending in 4 3 2 1.'],
    ['a hidden number', undefined, 'An unknown caller with a hidden number.'],
  ])('%s', (_name, callerId, said) => {
    const step = decideWhisper(round(whisperCallerOf(undefined, callerId)), '/a');
    expect(texts(step)[1]).toBe(said);
    expect(texts(step).join(' ')).not.toMatch(/718555/);
  });

  test('Spanish line, no accept needed: announced in Spanish and connected', () => {
    const step = decideWhisper(round({ firstName: 'Luis' }, undefined, { ...line, language: 'es-US', agentMustAccept: false, voice: 'Polly.Lupe' }), '/a');
    expect(step).toEqual({
      kind: 'say-and-connect',
      say: [
        { text: 'Llamada entrante para Sales.', language: 'es-US', voice: 'Polly.Lupe' },
        { text: 'Llama Luis.', language: 'es-US', voice: 'Polly.Lupe' },
      ],
    });
  });

  test('a tampered query cannot make the whisper read a full number', () => {
    expect(whisperOf({ tail: '+14155550142' }).caller.lastDigits).toBe('0142');
    expect(whisperOf({ tail: '12' }).caller.lastDigits).toBeUndefined();
  });

  test.each([
    ['1', false, 'say-and-connect'],
    ['2', false, 'say-and-hangup'],
    ['#', false, 'say-and-hangup'],
    [undefined, true, 'say-and-hangup'],
    ['1', true, 'say-and-hangup'],
  ])('key %s (silence %s) → %s', (digits, silence, kind) => {
    expect(decideWhisperAnswer({ language: 'en-US' }, digits, silence).kind).toBe(kind);
  });
});

describe('the Bridge step', () => {
  const urls = { dialAction: '/transfer/dial-ended?lang=en-US', whisper: '/transfer/whisper?line=Sales', recording: '/events/recording' };

  test('a single number\'s <Dial> action carries the number dialled, for the log\'s Agent Number', () => {
    expect(bridgeStep(line, '+12025550100', urls)).toMatchObject({ kind: 'dial', number: '+12025550100', action: '/transfer/dial-ended?lang=en-US&agent=%2B12025550100' });
  });

  test('a leg of an In Order group carries its position instead (its URLs already say who rings)', () => {
    expect(bridgeStep(line, '+12025550105', urls, { say: [] })).toMatchObject({ action: '/transfer/dial-ended?lang=en-US' });
  });
});

describe('the outcome', () => {
  test.each([
    ['completed', 'true', 'Connected'],
    ['answered', 'true', 'Connected'],
    ['completed', 'false', 'Not accepted'],
    ['completed', undefined, 'Connected'],
    ['busy', 'false', 'Agent busy'],
    ['no-answer', 'false', 'No answer'],
    ['failed', 'false', 'Transfer failed'],
    ['canceled', 'false', 'Caller hung up'],
    [undefined, undefined, 'Transfer failed'],
  ])('DialCallStatus %s, DialBridged %s → %s', (dialCallStatus, dialBridged, outcome) => {
    expect(dialOutcome({ dialCallStatus, dialBridged })).toBe(outcome);
  });

  test('connected → goodbye; not connected → an apology naming what happened', () => {
    expect(decideAfterDial({ language: 'en-US' }, 'Connected')).toMatchObject({ kind: 'goodbye' });
    expect(decideAfterDial({ language: 'es-US' }, 'No answer')).toEqual({
      kind: 'other-paths',
      apology: [{ text: 'Lo sentimos, nadie contestó en este momento.', language: 'es-US', voice: undefined }],
    });
  });

  test.each([
    [{ referCallStatus: 'in-progress', referSipResponseCode: '202', notifySipResponseCode: '200' }, true],
    [{ referCallStatus: 'success', referSipResponseCode: '202' }, true],
    [{ referCallStatus: 'failed', referSipResponseCode: '405' }, false],
    [{ referCallStatus: 'failed', referSipResponseCode: '603' }, false],
    [{ referCallStatus: 'in-progress', referSipResponseCode: '500' }, false],
    [{ referCallStatus: 'busy', referSipResponseCode: '202', notifySipResponseCode: '486' }, false],
    [{ referCallStatus: 'in-progress', referSipResponseCode: '202', notifySipResponseCode: '603' }, false],
    [{}, false],
  ])('REFER %j succeeded: %s', (report, ok) => {
    expect(referSucceeded(report)).toBe(ok);
  });
});

describe('events on the call log', () => {
  test.each([
    ['completed', '37', 'Transferring', { Duration: 37, Outcome: 'Caller hung up' }],
    ['completed', '95', 'Connected', { Duration: 95 }],
    ['no-answer', '0', undefined, { Duration: 0 }],
    ['completed', 'abc', 'Transferring', { Outcome: 'Caller hung up' }],
    ['in-progress', '10', 'Transferring', undefined],
    ['ringing', undefined, undefined, undefined],
  ])('status %s, duration %s, outcome %s', (status, duration, outcome, fields) => {
    expect(callStatusFields(status, duration, outcome)).toEqual(fields);
  });

  test('a transcript, speaker-labelled from the participants it was created with', () => {
    const speakers = speakersOf(transcriptChannel('RE1', 2));
    expect(transcriptText([{ mediaChannel: 1, text: ' Hello ' }, { mediaChannel: 2, text: 'Hi' }], speakers)).toBe('Caller: Hello\nAgent: Hi');
    expect(transcriptText([{ mediaChannel: 1, text: 'Hello' }], speakersOf(transcriptChannel('RE1', 1)))).toBe('Speaker: Hello');
  });

  test('notes: the summary, else the first three sentences', () => {
    const said = ['One.', 'Two.', 'Three.', 'Four.'].map((text) => ({ mediaChannel: 1, text }));
    expect(wrapUpNotes(['  Summary. '], said)).toBe('Summary.');
    expect(wrapUpNotes([], said)).toBe('One. Two. Three.');
  });
});
