// What happened during a simulated call, in order, and how to print it for a human.

/** `call`: the call Twilio runs the TwiML of; `dialed`: the leg a <Dial> places (the agent, for an inbound call). */
export type Leg = 'call' | 'dialed';

export type PartyInput =
  | { readonly kind: 'digits'; readonly digits: string }
  | { readonly kind: 'speech'; readonly text: string; readonly confidence?: number }
  | { readonly kind: 'silence' }
  | { readonly kind: 'hangup' }
  /**
   * A message left at a <Record>: the words spoken (about 2.5 a second unless `seconds` says), then how
   * the recording ends: a finish key (default #), the caller hanging up, or silence until the timeout.
   */
  | { readonly kind: 'message'; readonly text: string; readonly seconds?: number; readonly end?: 'key' | 'hangup' | 'silence'; readonly key?: string };

export type RequestReason =
  | 'call start'
  | 'gather action'
  | 'redirect'
  | 'dial action'
  | 'whisper'
  | 'refer action'
  | 'record action'
  | 'wait url'
  | 'recording status'
  | 'call status'
  | 'dialed call status';

export type TranscriptEvent =
  | {
      readonly kind: 'request';
      readonly leg: Leg;
      readonly reason: RequestReason;
      readonly method: 'GET' | 'POST';
      readonly url: string;
      /** Only the parameters that say something about this request (not the call's constant ones). */
      readonly extra: Readonly<Record<string, string>>;
      readonly params: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'response'; readonly leg: Leg; readonly status: number; readonly contentType: string; readonly body: string; readonly ms: number }
  | { readonly kind: 'say'; readonly leg: Leg; readonly text: string; readonly voice?: string; readonly language?: string; readonly loop?: string }
  | { readonly kind: 'play'; readonly leg: Leg; readonly url: string; readonly digits?: string }
  | { readonly kind: 'pause'; readonly leg: Leg; readonly seconds: number }
  | {
      readonly kind: 'listen';
      readonly leg: Leg;
      readonly input: readonly string[];
      readonly numDigits?: number;
      readonly finishOnKey: string;
      readonly timeout: number;
      readonly action: string;
    }
  | {
      readonly kind: 'record';
      readonly leg: Leg;
      readonly maxLength: number;
      readonly finishOnKey: string;
      readonly timeout: number;
      readonly playBeep: boolean;
      readonly action: string;
    }
  | { readonly kind: 'input'; readonly leg: Leg; readonly input: PartyInput }
  | { readonly kind: 'redirect'; readonly leg: Leg; readonly url: string }
  | {
      readonly kind: 'dial';
      readonly leg: Leg;
      readonly targets: readonly string[];
      readonly callerId: string;
      readonly record?: string;
    }
  | {
      readonly kind: 'dial-result';
      readonly leg: Leg;
      readonly status: string;
      readonly bridged: boolean;
      readonly duration: number;
      readonly answeredBy?: string;
    }
  | {
      readonly kind: 'conference';
      readonly leg: Leg;
      readonly name: string;
      readonly action: 'join' | 'leave';
      readonly conferenceSid?: string;
      /** Why the leg left: conference-ended, kicked, redirected, hung-up. */
      readonly reason?: string;
    }
  | { readonly kind: 'refer'; readonly leg: Leg; readonly target: string }
  | { readonly kind: 'refer-result'; readonly leg: Leg; readonly status: string; readonly referSipResponseCode?: string }
  | { readonly kind: 'recording'; readonly leg: Leg; readonly recordingSid: string; readonly duration: number; readonly channels: number }
  | { readonly kind: 'ended'; readonly leg: Leg; readonly by: 'app' | 'party' | 'transfer'; readonly cause: string; readonly status: string }
  | { readonly kind: 'note'; readonly leg: Leg; readonly text: string }
  | { readonly kind: 'error'; readonly leg: Leg; readonly text: string; readonly code?: number };

export interface LegLabels {
  readonly call: string;
  readonly dialed: string;
}

export const INBOUND_LABELS: LegLabels = { call: 'caller', dialed: 'agent' };

function describeInput(input: PartyInput): string {
  switch (input.kind) {
    case 'digits':
      return `presses ${input.digits}`;
    case 'speech':
      return `says "${input.text}"${input.confidence === undefined ? '' : ` (confidence ${input.confidence})`}`;
    case 'silence':
      return 'stays silent';
    case 'hangup':
      return 'hangs up';
    case 'message':
      return `leaves a message: "${input.text}"${input.end === 'hangup' ? ', then hangs up' : input.end === 'silence' ? ', then stays silent' : `, then presses ${input.key ?? '#'}`}`;
  }
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function describeParams(params: Readonly<Record<string, string>>): string {
  const entries = Object.entries(params);
  return entries.length === 0 ? '' : `  ${entries.map(([name, value]) => `${name}=${value}`).join(' ')}`;
}

/** One line per event, e.g. `caller hears: "Welcome to Acme Support." [Polly.Joanna]`. */
export function formatEvent(event: TranscriptEvent, labels: LegLabels = INBOUND_LABELS): string {
  const who = labels[event.leg];
  const indent = event.leg === 'dialed' ? '    ' : '';
  const line = ((): string => {
    switch (event.kind) {
      case 'request':
        return `→ ${event.method} ${pathOf(event.url)} (${event.reason})${describeParams(event.extra)}`;
      case 'response':
        return event.status >= 200 && event.status < 300
          ? `← ${event.status} in ${event.ms} ms`
          : `← ${event.status} in ${event.ms} ms: ${event.contentType} ${event.body.slice(0, 200)}`;
      case 'say': {
        const details = [event.voice, event.language, event.loop && event.loop !== '1' ? `loop ${event.loop}` : undefined].filter(Boolean);
        return `${who} hears: "${event.text}"${details.length ? ` [${details.join(', ')}]` : ''}`;
      }
      case 'play':
        return event.digits ? `${who} hears tones ${event.digits}` : `${who} hears audio ${event.url}`;
      case 'pause':
        return `${who} hears ${event.seconds}s of silence`;
      case 'listen': {
        const parts = [`input=${event.input.join(' ')}`];
        if (event.numDigits !== undefined) parts.push(`numDigits=${event.numDigits}`);
        if (event.finishOnKey !== '#') parts.push(`finishOnKey=${JSON.stringify(event.finishOnKey)}`);
        parts.push(`timeout=${event.timeout}s`, `action=${pathOf(event.action)}`);
        return `<Gather ${parts.join(' ')}>`;
      }
      case 'record': {
        const parts = [`maxLength=${event.maxLength}s`, `finishOnKey=${JSON.stringify(event.finishOnKey)}`, `timeout=${event.timeout}s`, `action=${pathOf(event.action)}`];
        return `<Record ${parts.join(' ')}>${event.playBeep ? `\n${indent}${who} hears a beep` : ''}`;
      }
      case 'input':
        return `${who} ${describeInput(event.input)}`;
      case 'redirect':
        return `<Redirect> ${pathOf(event.url)}`;
      case 'dial':
        return `<Dial> ${event.targets.join(', ')} from ${event.callerId}${event.record ? ` record=${event.record}` : ''}`;
      case 'dial-result':
        return `dial ended: ${event.status}, ${event.bridged ? 'bridged' : 'not bridged'}, ${event.duration}s${event.answeredBy ? `, answered by ${event.answeredBy}` : ''}`;
      case 'conference':
        return event.action === 'join' ? `${who} joins the conference ${event.name}` : `${who} leaves the conference ${event.name} (${event.reason ?? 'left'})`;
      case 'refer':
        return `<Refer> ${event.target}`;
      case 'refer-result':
        return `refer ended: ${event.status}${event.referSipResponseCode ? ` (SIP ${event.referSipResponseCode})` : ''}`;
      case 'recording':
        return `recording ${event.recordingSid}: ${event.duration}s, ${event.channels} channel(s)`;
      case 'ended':
        return `${event.leg === 'dialed' ? `${who} leg` : 'call'} ended (${event.status}): ${event.by === 'party' ? `${who} hung up` : event.cause}`;
      case 'note':
        return `· ${event.text}`;
      case 'error':
        return `✗ ${event.code ? `Twilio error ${event.code}: ` : ''}${event.text}`;
    }
  })();
  return `${indent}${line}`;
}

export function formatTranscript(events: readonly TranscriptEvent[], labels: LegLabels = INBOUND_LABELS): string {
  return events.map((event) => formatEvent(event, labels)).join('\n');
}
