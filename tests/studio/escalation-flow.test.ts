// studio/escalation-flow.json is a Studio flow definition Twilio can import: its states, widget
// types, transitions and properties are well formed, and its TwiML Redirect reaches /escalate with
// Reason and Line, which the Functions accept (checked with a simulated call).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_CALLERS, DEMO_LINES, demoBaseWithHours } from '../../sandbox/demo-data';
import { call } from '../../sandbox/simulator/call-script';
import { useSandbox } from '../helpers/sandbox';

interface Transition {
  readonly event: string;
  readonly next?: string;
}
interface State {
  readonly name: string;
  readonly type: string;
  readonly transitions: readonly Transition[];
  readonly properties: Record<string, unknown> & { offset: { x: number; y: number } };
}
interface Flow {
  readonly description: string;
  readonly states: readonly State[];
  readonly initial_state: string;
  readonly flags: { allow_concurrent_calls: boolean };
}

const flow = JSON.parse(readFileSync(path.resolve(__dirname, '../../studio/escalation-flow.json'), 'utf8')) as Flow;

/** The events each widget type used here has (Studio lists every one, with or without `next`). */
const WIDGET_EVENTS: Readonly<Record<string, readonly string[]>> = {
  trigger: ['incomingMessage', 'incomingCall', 'incomingConversationMessage', 'incomingRequest', 'incomingParent'],
  'gather-input-on-call': ['keypress', 'speech', 'timeout'],
  'add-twiml-redirect': ['return', 'timeout', 'fail'],
  'say-play': ['audioComplete'],
};

describe('the flow definition', () => {
  test('has the top-level shape Studio imports', () => {
    expect(Object.keys(flow).sort()).toEqual(['description', 'flags', 'initial_state', 'states']);
    expect(typeof flow.description).toBe('string');
    expect(flow.flags).toEqual({ allow_concurrent_calls: true });
    expect(flow.states.find((s) => s.name === flow.initial_state)?.type).toBe('trigger');
  });

  test('every state has a unique widget name, a known type with exactly its events, and a canvas offset', () => {
    const names = flow.states.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const state of flow.states) {
      expect(state.name).toMatch(/^[A-Za-z0-9_]+$/);
      expect(Object.keys(WIDGET_EVENTS)).toContain(state.type);
      expect(state.transitions.map((t) => t.event).sort()).toEqual([...WIDGET_EVENTS[state.type]].sort());
      expect(state.properties.offset).toEqual({ x: expect.any(Number), y: expect.any(Number) });
    }
  });

  test('every transition leads to a state, and every state is reached from an incoming call', () => {
    const byName = new Map(flow.states.map((s) => [s.name, s]));
    for (const t of flow.states.flatMap((s) => s.transitions)) if (t.next !== undefined) expect(byName.has(t.next)).toBe(true);
    const reached = new Set<string>();
    const visit = (name: string) => {
      if (reached.has(name)) return;
      reached.add(name);
      for (const t of byName.get(name)!.transitions) if (t.next) visit(t.next);
    };
    const start = byName.get(flow.initial_state)!.transitions.find((t) => t.event === 'incomingCall')!.next!;
    visit(start);
    expect([...reached].sort()).toEqual(names(flow.states.filter((s) => s.type !== 'trigger')));
  });

  test('the bot gathers the need by speech or keys, and every way out of the gather leads to the redirect', () => {
    const gathers = flow.states.filter((s) => s.type === 'gather-input-on-call');
    expect(gathers.length).toBeGreaterThan(0);
    for (const gather of gathers) {
      expect(gather.properties.say).toEqual(expect.stringMatching(/\?/));
      expect(gather.properties.speech_timeout).toBe('auto');
    }
    const last = gathers.at(-1)!;
    expect(last.transitions.every((t) => t.next === 'escalate')).toBe(true);
  });

  test('the TwiML Redirect POSTs to /escalate with Reason from what the caller said and Line from the number called', () => {
    const redirect = redirectState();
    expect(redirect.properties.method).toBe('POST');
    const url = new URL(String(redirect.properties.url));
    expect(url.protocol).toBe('https:');
    expect(url.pathname).toBe('/escalate');
    expect([...url.searchParams.keys()]).toEqual(['Reason', 'Line']);
    const gatherNames = flow.states.filter((s) => s.type === 'gather-input-on-call').map((s) => s.name);
    const reason = url.searchParams.get('Reason')!;
    for (const name of gatherNames) expect(reason).toContain(`{{widgets.${name}.SpeechResult | url_encode}}`);
    expect(url.searchParams.get('Line')).toBe('{{trigger.call.To | url_encode}}');
    // Liquid names only widgets that exist.
    for (const [, widget] of String(redirect.properties.url).matchAll(/widgets\.(\w+)\./g)) expect(gatherNames).toContain(widget);
  });
});

const names = (states: readonly State[]) => states.map((s) => s.name).sort();
const redirectState = () => flow.states.find((s) => s.type === 'add-twiml-redirect' && String(s.properties.url).includes('/escalate'))!;

/** The redirect URL as Studio renders it for a call: Liquid filled in, the host replaced by the sandbox. */
function renderRedirect(said: string, to: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  const rendered = String(redirectState().properties.url)
    .replace('{{widgets.ask_need.SpeechResult | url_encode}}', encode(said))
    .replace('{{widgets.ask_again.SpeechResult | url_encode}}', '')
    .replace('{{trigger.call.To | url_encode}}', encode(to));
  const url = new URL(rendered);
  return `${url.pathname}${url.search}`;
}

describe('the redirect, as the Functions receive it', () => {
  const sandbox = useSandbox(() => demoBaseWithHours('open'));

  test('a caller who said what they need reaches the escalation menu of the line they called', async () => {
    await call(sandbox, { to: DEMO_LINES.support, from: DEMO_CALLERS.dana, path: renderRedirect('my router will not connect', DEMO_LINES.support) })
      .expectSay('Hi Dana')
      .expectSay(/press 1/)
      .hangup()
      .expectEnd('party');
  });
});
