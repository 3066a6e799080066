// The voicemail path's webhooks. The hand-off from the menu answers the prompt and the <Record>;
// /voicemail/recorded (the <Record> action, the caller still on the line) keeps a message long enough,
// asks once more after an empty or too-short one, then goes back to the menu without voicemail; and
// /voicemail/recording (the recordingStatusCallback, nobody listening) does what a kept message leads to:
// the recording on the Calls row, one Callbacks row (Kind Voicemail, Queued: the dispatcher calls back
// agent first), one email to the line's Voicemail Email, and the Voice Intelligence transcript.
//
// The recording callback is idempotent: Twilio may deliver it twice. The Callbacks row is looked up by
// the call before it is created, the email goes through the call's send-once ledger (`Voicemail`), the
// transcript is asked of the service first. What fails answers 500, so a redelivery finishes the rest;
// a Calls write that fails is kept for the call's next event (call/call-log).
import type { CallbacksTable } from '../adapters/callbacks-table.private';
import { MailNotSent, sendTeamEmail } from '../adapters/sendgrid-client.private';
import { callMemory } from '../call/memory.private';
import type { EventAnswer, EventRequest } from '../call/request.private';
import type { CallSession, HandOff } from '../call/session.private';
import { transcribeRecording } from '../call/transcripts.private';
import { SETTLE_MS } from '../core/booking-rule.private';
import { RECORDING_SID } from '../core/call-events.private';
import { decideCallbackTiming, lineSchedule } from '../core/callback-timing.private';
import { unknownLineStep } from '../core/incoming.private';
import { isCallSid, type Line } from '../core/model.private';
import { maskEmailForLog } from '../core/phone.private';
import { utter } from '../core/prompts.private';
import type { CallbackRow } from '../core/rows.private';
import { sentOn, withEntry } from '../core/sent-ledger.private';
import type { Step } from '../core/steps.private';
import { stepUrl } from '../core/urls.private';
import * as decide from './decisions.private';
import type { VoicemailCaller } from './decisions.private';

/** The <Record>'s URLs: its action (with the try) and the recording callback, which carries who called and why. */
function recordUrls(call: CallSession, line: Line, caller: VoicemailCaller): decide.RecordUrls {
  return {
    action: (tryNumber) => stepUrl('/voicemail/recorded', call.carry({ try: String(tryNumber) })),
    recordingStatusCallback: stepUrl('/voicemail/recording', call.carry({ Line: line.phoneNumber, ...decide.callerQuery(caller) })),
  };
}

/** HAND_OFFS.voicemail: the choice is logged, then the prompt and the beep. */
export async function startVoicemail({ call, line, caller, row }: HandOff): Promise<Step> {
  await call.saveCallRow(row);
  const voicemailCaller = decide.voicemailCallerOf(caller);
  return decide.decideRecordStep(line, voicemailCaller, 1, recordUrls(call, line, voicemailCaller));
}

/** The <Record> action (or, for an empty recording, the redirect after it). */
export async function handleVoicemailRecorded(call: CallSession): Promise<Step> {
  const { params } = call;
  const { line, caller } = await call.facts();
  if (!line) return unknownLineStep();
  const voicemailCaller = decide.voicemailCallerOf(caller);
  const tryNumber = Math.min(Math.max(Number.parseInt(params.try ?? '1', 10) || 1, 1), decide.MAX_TRIES);
  const after = decide.decideAfterRecording(line, voicemailCaller, decide.messageSecondsOf(params), tryNumber);
  switch (after.kind) {
    case 'kept': {
      const url = decide.recordingSidOf(params.RecordingUrl) ? params.RecordingUrl : undefined;
      await call.saveCallRow({ Outcome: 'Voicemail left', ...(url ? { 'Voicemail URL': url } : {}) });
      return after.step;
    }
    case 'again':
      return decide.decideRecordStep(line, voicemailCaller, tryNumber + 1, recordUrls(call, line, voicemailCaller));
    case 'nothing-kept':
      await call.saveCallRow({ Outcome: 'No voicemail left' });
      return call.menuWithout('voicemail', 'other-paths', [utter(line, 'voicemail.nothing-kept')]);
    default: {
      const unreachable: never = after;
      return unreachable;
    }
  }
}

type Event = CallSession<EventRequest>;
/**
 * Nobody listens to the recording callback, and Twilio waits 15 s for it (the Functions' own limit is
 * 10 s). What it stores is what the caller was promised, and Twilio does not send it again on its own:
 * the budget fits a lookup, the create, the createdTime second and the recount, with room to wait
 * behind callers' requests on an instance paced to Airtable's 5 a second.
 */
export const VOICEMAIL_RECORDING_BUDGET_MS = 6000;
const OK: EventAnswer = { status: 200, json: { ok: true } };
const ignored = (reason: string): EventAnswer => ({ status: 200, json: { ok: true, ignored: reason } });

interface KeptMessage {
  readonly callSid: string;
  readonly recordingSid: string;
  readonly url: string;
  readonly seconds: number;
  readonly caller: VoicemailCaller;
}

/** /voicemail/recording: what a kept message leads to, each part once however often Twilio delivers. */
export async function handleVoicemailRecording(call: Event): Promise<EventAnswer> {
  const { params } = call;
  const { CallSid: callSid, RecordingSid: recordingSid } = params;
  if (!isCallSid(callSid) || !recordingSid || !RECORDING_SID.test(recordingSid) || !params.RecordingUrl) return ignored('no recording');
  if (params.RecordingStatus && params.RecordingStatus !== 'completed') return ignored(`recording ${params.RecordingStatus}`);
  const seconds = Number(params.RecordingDuration) || 0;
  if (seconds < decide.MIN_MESSAGE_SECONDS) return ignored('too short');
  const message: KeptMessage = { callSid, recordingSid, url: params.RecordingUrl, seconds, caller: decide.callerFromQuery(params) };
  // Airtable failing (or a stand-in line, which has no Voicemail Email or hours): the rest waits for a
  // redelivery. A `Line` that names no line (a forged or stale URL) has no callback or team to tell.
  const found = await call.line(params.Line).then(
    (line) => ({ line }),
    () => undefined,
  );
  const known = found?.line?.id ? found.line : undefined;
  const nothingToTell = found !== undefined && found.line === undefined;
  const done = await Promise.all([
    call.saveCallRowFor(callSid, { 'Voicemail URL': message.url }),
    transcribeRecording(call.request, { sid: recordingSid, callSid, channels: 1, of: 'voicemail' }),
    known ? queueCallback(call, known, message) : nothingToTell,
    known ? emailTeam(call, known, message) : nothingToTell,
    call.retryPendingCallRows(callSid).then(() => true),
  ]);
  return done.every(Boolean) ? OK : { status: 500, text: 'voicemail not fully stored' };
}

/**
 * The message's callback row, stored once per instance at a time: Twilio's duplicate of a recording
 * callback arriving while the first is being stored shares its result, where it would otherwise look,
 * find nothing yet, and create a second row. (Two instances at the same moment do both create; the
 * recount after the create removes the later row.)
 */
function queueCallback(call: Event, line: Line, message: KeptMessage): Promise<boolean> {
  const memory = callMemory.call(message.callSid, call.request.now.getTime());
  if (memory.queueingVoicemail?.recordingSid === message.recordingSid) return memory.queueingVoicemail.stored;
  const stored = storeCallback(call, line, message).finally(() => {
    if (memory.queueingVoicemail?.stored === stored) memory.queueingVoicemail = undefined;
  });
  memory.queueingVoicemail = { recordingSid: message.recordingSid, stored };
  return stored;
}

/** The Voicemail row for the dispatcher, unless the caller cannot be called back, the row exists already or another callback is open. */
async function storeCallback(call: Event, line: Line, message: KeptMessage): Promise<boolean> {
  const { callSid, url, caller } = message;
  if (!caller.number) return true;
  const table: CallbacksTable | undefined = call.callbacks();
  const { deadline, now, log, config, params } = call.request;
  if (!table) return false;
  const peers = () => table.voicemailPeers(callSid, caller.number!, line.phoneNumber, deadline);
  try {
    const plan = decide.planVoicemailCallback(await peers(), callSid);
    if (plan.kind === 'stored') return true;
    if (plan.kind === 'join') {
      // A caller already waiting for a call back is not called twice; its agent hears that a voicemail came too.
      if (plan.row.voicemailUrl !== url) await table.update(plan.row.id, { voicemailUrl: url }, deadline);
      log.info('voicemail-added-to-open-callback', { callSid, callback: plan.row.id });
      return true;
    }
    const timing = decideCallbackTiming(lineSchedule(line, config.defaultTimezone), now);
    const row = decide.voicemailCallbackRow({ line, number: caller.number, name: caller.name, originCallSid: callSid, reason: params.Reason, voicemailUrl: url, timing, now });
    const created = await table.create(row, deadline);
    log.info('voicemail-callback-queued', { callSid, callback: created.id });
    await recount(call, table, created, peers, url);
    return true;
  } catch (error) {
    // A create that timed out may have landed: the redelivery looks it up before creating again.
    log.warn('voicemail-callback-not-stored', { callSid, error });
    return false;
  }
}

/**
 * Two instances storing the same message at once both find nothing and create: once the createdTime
 * second is over, the open callback created first stays and a later row goes (decide.givesWayTo).
 * A recount that fails leaves the row: two calls back are better than none.
 */
async function recount(call: Event, table: CallbacksTable, mine: CallbackRow, peers: () => Promise<CallbackRow[]>, url: string): Promise<void> {
  const { deadline, log, params } = call.request;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  try {
    const keeper = decide.givesWayTo(mine, await peers());
    if (!keeper) return;
    await table.remove(mine.id, deadline);
    if (keeper.voicemailUrl !== url) await table.update(keeper.id, { voicemailUrl: url }, deadline);
    log.info('voicemail-callback-withdrawn', { callSid: params.CallSid, callback: mine.id, kept: keeper.id });
  } catch (error) {
    log.warn('voicemail-recount-failed', { callSid: params.CallSid, callback: mine.id, error });
  }
}

/** One email to the line's Voicemail Email per message (the call's ledger says whether it went). */
async function emailTeam(call: Event, line: Line, message: KeptMessage): Promise<boolean> {
  const { config, log, now, deadline, params } = call.request;
  const to = line.voicemailEmail?.trim();
  if (!to || !config.sendgrid.apiKey || !config.sendgrid.emailFrom) return true;
  const { callSid } = message;
  const ledger = await call.ledger(callSid);
  if (sentOn(ledger.entries, 'Voicemail')) return true;
  const content = decide.composeVoicemailEmail({
    line,
    caller: message.caller,
    reason: params.Reason,
    recordingSid: message.recordingSid,
    seconds: message.seconds,
    at: now,
    zone: lineSchedule(line, config.defaultTimezone).zone,
  });
  const once = await call.sendOnce(
    'Voicemail',
    ledger,
    async (entries) => {
      if (sentOn(entries, 'Voicemail')) return { result: true };
      try {
        const id = await sendTeamEmail(config, line, to, content, deadline);
        log.info('voicemail-emailed', { callSid, id, to: maskEmailForLog(to) });
        return { result: true, record: { entries: withEntry(entries, { channel: 'Voicemail', id, status: 'accepted' }) } };
      } catch (error) {
        log.warn('voicemail-not-emailed', { callSid, status: error instanceof MailNotSent ? error.failure.status : 'error', to: maskEmailForLog(to) });
        return { result: false };
      }
    },
    callSid,
  );
  return once.claimed ? once.result : true;
}
