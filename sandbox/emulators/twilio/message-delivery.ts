// What a carrier does with a message Twilio accepted: it moves queued → sent → delivered, or
// → undelivered with 30006 for a number that cannot take texts but that Twilio could not tell at
// create time (US, Canadian and UK landlines). Each change goes to the message's StatusCallback as a
// form POST signed with X-Twilio-Signature, as Twilio sends them: MessageSid/SmsSid,
// MessageStatus/SmsStatus, AccountSid, From, To, ApiVersion, ErrorCode when it failed.
// Callbacks for one message are posted one after the other; a callback that fails is not retried.
import twilio from 'twilio';
import { one } from '../shared/http';
import { requestExactly } from '../../webhook-client';
import type { MutableMessage } from './messages';
import { setMessageStatus } from './messages';
import type { MessageStatus } from './resources/message';
import type { EmulatorState } from './state';

/** Landline: Twilio's "Unknown destination handset" as the carrier reports it. */
export const UNDELIVERED_LANDLINE = 30006;

export interface StatusCallbackPost {
  readonly status: MessageStatus;
  /** HTTP status the application answered, or 0 when it could not be reached. */
  readonly answer: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The form parameters of one status callback for `message` now at `status`. */
export function messageCallbackParams(state: EmulatorState, message: MutableMessage, status: MessageStatus): Record<string, string> {
  const { resource } = message;
  return {
    AccountSid: state.config.accountSid,
    ApiVersion: '2010-04-01',
    MessageSid: resource.sid,
    SmsSid: resource.sid,
    MessageStatus: status,
    SmsStatus: status,
    To: resource.to,
    ...(resource.from ? { From: resource.from } : {}),
    ...(resource.messaging_service_sid ? { MessagingServiceSid: resource.messaging_service_sid } : {}),
    ...(resource.error_code !== null ? { ErrorCode: String(resource.error_code) } : {}),
  };
}

async function postCallback(state: EmulatorState, url: string, params: Record<string, string>): Promise<number> {
  const signature = twilio.getExpectedTwilioSignature(state.config.authToken, url, params);
  try {
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature };
    // Twilio waits 15 s for a status callback; the URL goes on the wire exactly as signed.
    const res = await requestExactly(url, { method: 'POST', headers, body: new URLSearchParams(params).toString(), timeoutMs: 15_000 });
    return res.status;
  } catch {
    return 0;
  }
}

/** Moves a just-created message through the carrier's statuses, posting each to its StatusCallback. */
export function deliverMessage(state: EmulatorState, message: MutableMessage, callbacks: StatusCallbackPost[]): void {
  if (message.resource.status !== 'queued') return; // scheduled or service-routed messages wait for their turn
  const url = one(message.params, 'StatusCallback');
  const failed = state.recipients.undeliverable.has(message.resource.to);
  const steps: [MessageStatus, number | undefined][] = [
    ['queued', undefined],
    ['sent', undefined],
    failed ? ['undelivered', UNDELIVERED_LANDLINE] : ['delivered', undefined],
  ];
  const run = (async () => {
    for (const [status, errorCode] of steps) {
      await sleep(state.config.messageStatusIntervalMs);
      if (status === 'delivered' || status === 'undelivered') await state.carrierReportsHeld?.until;
      if (!state.messages.includes(message)) return; // deleted, or the emulator was reset
      if (status !== 'queued') {
        setMessageStatus(state, message.sid, status, errorCode ? { errorCode, errorMessage: 'Unknown destination handset' } : {});
      }
      if (url) callbacks.push({ status, answer: await postCallback(state, url, messageCallbackParams(state, message, status)) });
    }
  })();
  state.deliveries.add(run);
  void run.finally(() => state.deliveries.delete(run));
}

/** Resolves when every message on its way has reached its last status and its callbacks were answered. */
export async function deliveriesSettled(state: EmulatorState): Promise<void> {
  while (state.deliveries.size > 0) await Promise.all([...state.deliveries]);
}

/** Holds the carriers' delivery reports until the returned function is called (see TwilioEmulator.holdCarrierReports). */
export function holdCarrierReports(state: EmulatorState): () => void {
  let resolve = () => {};
  const until = new Promise<void>((done) => (resolve = done));
  const held = {
    until,
    release: () => {
      if (state.carrierReportsHeld === held) state.carrierReportsHeld = undefined;
      resolve();
    },
  };
  state.carrierReportsHeld?.release();
  state.carrierReportsHeld = held;
  return held.release;
}
