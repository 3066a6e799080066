// Ring groups (issue 16), played as calls against the built Functions and the emulators: a line's agents
// rung In Order (one <Dial> after another in the same call) or Simultaneously (the caller waits in a
// room while every agent is called with the whisper; the first to accept joins). What the caller and the
// agents hear, what lands on the Calls row and what Twilio receives.
import { DEMO_CALLERS, DEMO_DESK_AGENTS, DEMO_LINES, demoBaseWithHours, type DemoBase } from '../../sandbox/demo-data';
import { call, heardBy } from '../../sandbox/simulator/call-script';
import type { TranscriptEvent } from '../../sandbox/simulator/transcript';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox(() => demoBaseWithHours('open'));

const callRow = (callSid: string) => sandbox.airtable.records('Calls').find((r) => r.fields['Call SID'] === callSid)?.fields;
const dialed = (events: readonly TranscriptEvent[]) => events.flatMap((e) => (e.kind === 'dial' ? e.targets : []));

function serviceDesk(fields: Record<string, string | number | boolean | undefined>): DemoBase {
  const base = demoBaseWithHours('open');
  const line = base.Lines.find((l) => l.Name === 'Service Desk')!;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete line[key];
    else line[key] = value;
  }
  return base;
}

/** Dana calls the Service Desk and picks the live transfer from the menu. */
const deskCall = () =>
  call(sandbox, { to: DEMO_LINES.serviceDesk, from: DEMO_CALLERS.dana, statusCallback: '/events/call-status' })
    .expectSay('Thanks for calling the Acme service desk')
    .say('agent')
    .expectSay(/talk to a person now, press 1/)
    .press('1');

describe('In Order', () => {
  beforeEach(() => sandbox.airtable.reset(serviceDesk({ 'Ring Strategy': 'In Order' })));

  test('the first declines, the second is a voicemail, the third accepts: bridged to the third, no number rang twice', async () => {
    const record = await deskCall()
      .expectSay(/Connecting you to a person/)
      .expectDial(DEMO_DESK_AGENTS[0])
      .agent({ answer: 'decline' })
      .expectSay('Still trying. Please hold.')
      .expectDial(DEMO_DESK_AGENTS[1])
      .agent({ answer: 'voicemail' })
      .expectSay('Still trying. Please hold.')
      .expectDial(DEMO_DESK_AGENTS[2])
      .agent({ answer: 'accept' })
      .expectWhisper('Press 1 to take the call.')
      .expectEnd('party');
    expect(dialed(record.events)).toEqual([...DEMO_DESK_AGENTS]);
    const row = callRow(record.callSid);
    expect(row).toMatchObject({ Outcome: 'Connected', 'Transfer Method': 'Bridge', 'Agent Number': DEMO_DESK_AGENTS[2] });
    expect(String(row?.['Agent Call SID'])).toMatch(/^CA[0-9a-f]{32}$/);
  });

  test('nobody accepts: the apology, then the menu without the live transfer; the log says No agent accepted', async () => {
    const record = await deskCall()
      .agent({ answer: 'busy' })
      .agent({ answer: 'no-answer' })
      .agent({ answer: 'decline' })
      .expectSay('Sorry, nobody was able to take your call just now.')
      .expectSay('Here is what else I can do.')
      .expectNotSay(/talk to a person/)
      .hangup()
      .expectEnd('party');
    expect(dialed(record.events)).toEqual([...DEMO_DESK_AGENTS]);
    expect(callRow(record.callSid)).toMatchObject({ Outcome: 'No agent accepted', 'Transfer Method': 'Bridge' });
    expect(callRow(record.callSid)?.['Agent Number']).toBeUndefined();
  });

  test('the caller hangs up while the second agent rings: Caller hung up, and the third is never rung', async () => {
    const record = await deskCall().agent({ answer: 'no-answer' }).agent({ answer: 'caller-hangup' }).expectEnd('party');
    expect(dialed(record.events)).toEqual(DEMO_DESK_AGENTS.slice(0, 2));
    expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Caller hung up' });
  });

  test('a Spanish line hears Spanish between the legs and in the whisper', async () => {
    sandbox.airtable.reset(serviceDesk({ 'Ring Strategy': 'In Order', Language: 'es-US' }));
    const record = await call(sandbox, { to: DEMO_LINES.serviceDesk, from: DEMO_CALLERS.stranger })
      .say('agente')
      .expectSay(/hablar con una persona ahora, marque 1/)
      .press('1')
      .expectSay('Le comunico con una persona ahora.')
      .agent({ answer: 'busy' })
      .expectSay('Seguimos intentando. Espere un momento, por favor.')
      .agent({ answer: 'accept' })
      .expectWhisper('Marque 1 para tomar la llamada.')
      .expectEnd('party');
    expect(heardBy(record, 'dialed').join(' ')).not.toContain('7185550111');
    expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Connected', 'Agent Number': DEMO_DESK_AGENTS[1] });
  });
});

describe('Simultaneous', () => {
  const placedTo = () => sandbox.twilio.calls().filter((c) => c.resource.from === DEMO_LINES.serviceDesk).map((c) => c.resource.to);

  test('the first phone to pick up is a voicemail and the second agent accepts: the caller is bridged to the second', async () => {
    const script = deskCall()
      .agentCalls({ answer: 'voicemail' }, { answer: 'accept', hungUpBy: 'agent', talkSeconds: 30 }, { answer: 'accept' })
      .expectSay(/Connecting you to a person/)
      .expectHoldAudio()
      .expectSay('Goodbye')
      .expectHangup();
    const record = await script;
    const [voicemail, agent, third] = script.agentCallRecords();
    expect(heardBy(voicemail!, 'call').join(' ')).toContain('Incoming call for Service Desk.');
    expect(voicemail!.events.some((e) => e.kind === 'conference')).toBe(false);
    expect(agent!.events).toContainEqual(expect.objectContaining({ kind: 'conference', action: 'join' }));
    // The simulator answers the legs one after another: the third answered before it was cancelled, and
    // its accept finds the caller gone from the room.
    expect(third!.events.some((e) => e.kind === 'conference')).toBe(false);
    expect(placedTo()).toEqual([...DEMO_DESK_AGENTS]);
    await sandbox.twilio.callbacksSettled();
    const row = callRow(record.callSid);
    expect(row).toMatchObject({ Outcome: 'Connected', 'Transfer Method': 'Bridge', 'Agent Number': DEMO_DESK_AGENTS[1], 'Agent Call SID': agent!.callSid });
  });

  describe('when Twilio refuses agent calls', () => {
    afterEach(() => sandbox.twilio.faults.clear());

    test('two refused: the agent whose phone rings takes the call', async () => {
      sandbox.twilio.faults.set({ resource: 'calls', method: 'POST', status: 500, times: 2 });
      const record = await deskCall().agentCalls({ answer: 'accept', hungUpBy: 'agent' }).expectHoldAudio().expectSay('Goodbye').expectHangup();
      const placed = sandbox.twilio.calls().filter((c) => c.resource.from === DEMO_LINES.serviceDesk);
      expect(placed).toHaveLength(1);
      await sandbox.twilio.callbacksSettled();
      expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Connected', 'Agent Number': placed[0]!.resource.to });
    });

    test('one refused: the two phones that ring are answered; the first accepts and takes the call, the other stops ringing', async () => {
      sandbox.twilio.faults.set({ resource: 'calls', method: 'POST', status: 500, times: 1 });
      const script = deskCall().agentCalls({ answer: 'accept', hungUpBy: 'agent' }, { answer: 'no-answer' }).expectHoldAudio().expectSay('Goodbye').expectHangup();
      const record = await script;
      const placed = sandbox.twilio.calls().filter((c) => c.resource.from === DEMO_LINES.serviceDesk);
      expect(placed).toHaveLength(2);
      const [agent, other] = script.agentCallRecords();
      expect(agent!.events).toContainEqual(expect.objectContaining({ kind: 'conference', action: 'join' }));
      // The app stops the other phone ringing as soon as the agent is in the room.
      expect(placed.find((c) => c.sid === other!.callSid)!.updates).toContainEqual({ Status: 'canceled' });
      await sandbox.twilio.callbacksSettled();
      const taker = placed.find((c) => c.sid === agent!.callSid)!;
      expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Connected', 'Agent Number': taker.resource.to, 'Agent Call SID': taker.sid });
    });

    test('all refused: the caller hears the apology and the other paths at once', async () => {
      sandbox.twilio.faults.set({ resource: 'calls', method: 'POST', status: 500, times: 3 });
      const record = await deskCall()
        .expectSay('Sorry, I could not connect your call.')
        .expectSay('Here is what else I can do.')
        .hangup()
        .expectEnd('party');
      expect(record.events.some((e) => e.kind === 'conference')).toBe(false);
      expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Transfer failed' });
    });
  });

  test('a Spanish line: the caller hears Spanish before and after the room, every agent hears the whisper in Spanish', async () => {
    sandbox.airtable.reset(serviceDesk({ Language: 'es-US' }));
    const script = call(sandbox, { to: DEMO_LINES.serviceDesk, from: DEMO_CALLERS.stranger, statusCallback: '/events/call-status' })
      .say('agente')
      .expectSay(/hablar con una persona ahora, marque 1/)
      .press('1')
      .agentCalls({ answer: 'voicemail' }, { answer: 'accept', hungUpBy: 'agent', talkSeconds: 30 }, { answer: 'busy' })
      .expectSay('Le comunico con una persona ahora.')
      .expectHoldAudio()
      .expectSay('Gracias por llamar. Adiós.')
      .expectHangup();
    const record = await script;
    const [voicemail, agent] = script.agentCallRecords();
    const whisper = ['Llamada entrante para Service Desk.', 'Una persona desconocida, con número terminado en 0 1 1 1.', 'Marque 1 para tomar la llamada.'];
    expect(heardBy(voicemail!, 'call')).toEqual([...whisper, 'Gracias. Adiós.']);
    expect(heardBy(agent!, 'call')).toEqual([...whisper, 'Le comunico ahora.']);
    for (const leg of [voicemail!, agent!]) expect(leg.events.filter((e) => e.kind === 'say').every((e) => e.kind === 'say' && e.language === 'es-US')).toBe(true);
    expect(heardBy(agent!, 'call').join(' ')).not.toContain('7185550111');
    await sandbox.twilio.callbacksSettled();
    expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Connected', 'Agent Number': DEMO_DESK_AGENTS[1], 'Agent Call SID': agent!.callSid });
  });

  test('the caller hangs up while waiting in the room: every agent leg is ended, and the log says Caller hung up', async () => {
    const script = deskCall()
      .agentCalls({ answer: 'no-answer' }, { answer: 'no-answer' }, { answer: 'no-answer' })
      .expectSay(/Connecting you to a person/)
      .expectHoldAudio()
      .hangupOnHold()
      .expectEnd('party');
    const record = await script;
    await sandbox.twilio.callbacksSettled();
    const legs = sandbox.twilio.calls().filter((c) => c.resource.from === DEMO_LINES.serviceDesk);
    expect(legs.map((c) => c.resource.to)).toEqual([...DEMO_DESK_AGENTS]);
    // The room's end asks Twilio to end each leg, ringing or answered: no phone rings for a caller who is gone.
    for (const leg of legs) expect(leg.updates).toContainEqual({ Status: 'completed' });
    expect(legs.every((c) => ['completed', 'canceled', 'no-answer'].includes(c.resource.status))).toBe(true);
    expect(record.events).not.toContainEqual(expect.objectContaining({ kind: 'request', url: expect.stringContaining('/transfer/group/ended') }));
    expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Caller hung up', 'Transfer Method': 'Bridge' });
    expect(callRow(record.callSid)?.['Agent Number']).toBeUndefined();
  });

  test('two agents press 1 at the same moment: exactly one is bridged, the other hears that someone else took the call', async () => {
    const script = deskCall()
      .agentCalls({ answer: 'accept', hungUpBy: 'agent', talkSeconds: 30 }, { answer: 'accept', hungUpBy: 'agent', talkSeconds: 30, together: true }, { answer: 'busy' })
      // When both pass the accept check, the room's one agent label lets one in: Twilio logs 16025 for the other.
      .allowError(/16025/)
      .expectHoldAudio()
      .expectSay('Goodbye')
      .expectHangup();
    const record = await script;
    const both = script.agentCallRecords().slice(0, 2);
    const bridged = both.filter((leg) => leg.events.some((e) => e.kind === 'conference' && e.action === 'join'));
    const other = both.filter((leg) => !bridged.includes(leg));
    expect(bridged).toHaveLength(1);
    expect(heardBy(other[0]!, 'call')).toContain('Someone else took this call. Thank you. Goodbye.');
    expect(heardBy(bridged[0]!, 'call')).not.toContain('Someone else took this call. Thank you. Goodbye.');
    await sandbox.twilio.callbacksSettled();
    const taker = sandbox.twilio.calls().find((c) => c.sid === bridged[0]!.callSid)!;
    expect(callRow(record.callSid)).toMatchObject({ Outcome: 'Connected', 'Agent Number': taker.resource.to, 'Agent Call SID': taker.sid });
  });

  test('nobody accepts: the caller leaves the room for the apology and the menu without the live transfer', async () => {
    const record = await deskCall()
      .agentCalls({ answer: 'decline' }, { answer: 'voicemail' }, { answer: 'busy' })
      .expectHoldAudio()
      .expectSay('Sorry, nobody was able to take your call just now.')
      .expectSay('Here is what else I can do.')
      .expectNotSay(/talk to a person/)
      .hangup()
      .expectEnd('party');
    expect(record.events).toContainEqual(expect.objectContaining({ kind: 'conference', action: 'leave', reason: 'redirected' }));
    expect(callRow(record.callSid)).toMatchObject({ Outcome: 'No agent accepted', 'Transfer Method': 'Bridge' });
  });
});
