// The menu's webhooks, /escalate and its choice step: they load the line and the caller (in parallel,
// through the CallSession), ask the policy and the menu for a Step, write the call log, and hand off to
// the chosen path's first step (HAND_OFFS). The floor above the paths: it is the only one that knows them.
import { callStartedAt } from '../call/bot-log.private';
import type { CallSession, HandOff } from '../call/session.private';
import { callbackOpeningWhen } from '../core/callback-timing.private';
import { MAX_REASON_LENGTH, parsePaths } from '../core/carried-query.private';
import { unknownLineStep } from '../core/incoming.private';
import { decideMenu, decideMenuEnd, MAX_MENU_REPROMPTS, MENU_AFTER, readMenuAnswer, type MenuInput } from '../core/menu.private';
import type { Contact, Line, Path } from '../core/model.private';
import { availablePaths } from '../core/policy.private';
import { labelPaths } from '../core/rows.private';
import { hasSlotsAhead, scheduleOf, slotSettingsOf } from '../core/slots.private';
import type { Step } from '../core/steps.private';
import { emailHandOff } from '../email/handlers.private';
import { startNumberEntry } from '../number-entry/handlers.private';
import { startLiveTransfer } from '../transfer/handlers.private';
import { startVoicemail } from '../voicemail/handlers.private';

/** Each built path's first step, keyed by path. A path missing here is answered "not available yet". */
const HAND_OFFS: Partial<Record<Path, (handOff: HandOff) => Promise<Step>>> = {
  'live-transfer': (handOff) => startLiveTransfer(handOff),
  'callback-now': (handOff) => startNumberEntry(handOff, 'callback-now'),
  'callback-scheduled': (handOff) => startNumberEntry(handOff, 'callback-scheduled'),
  'text-link': (handOff) => startNumberEntry(handOff, 'text-link'),
  email: emailHandOff,
  voicemail: startVoicemail,
};

function baseRow(call: CallSession, line: Line, contact: Contact | undefined): Record<string, string> {
  const { params, now } = call.request;
  // The same instant on every write of the call (when this instance first saw it), so a later write
  // never moves `Started At`.
  const startedAt = (params.CallSid && callStartedAt(params.CallSid, now.getTime())) || now.getTime();
  const row: Record<string, string> = { Line: line.phoneNumber, 'Started At': new Date(startedAt).toISOString() };
  if (params.From) row.From = params.From;
  if (contact) row.Contact = contact.name ?? contact.id;
  if (params.Reason) row.Reason = params.Reason.slice(0, MAX_REASON_LENGTH);
  return row;
}

export async function handleEscalate(call: CallSession): Promise<Step> {
  const { params, request } = call;
  const { line, caller } = await call.facts();
  if (!line) return unknownLineStep();
  const excluded = parsePaths(params.exclude);
  const { defaultTimezone } = request.config;
  const hasOpenSlots = line.scheduledCallback && hasSlotsAhead(scheduleOf(line, defaultTimezone), slotSettingsOf(line), request.now);
  const offers = call.offers(line, caller, hasOpenSlots);
  const offered = availablePaths(offers).filter((p) => !excluded.includes(p));
  // Back from a failed path with nothing left: that path's write already says what happened.
  if (offered.length === 0 && excluded.length === 0) {
    await call.saveCallRow({ ...baseRow(call, line, caller.contact), Offered: '', Outcome: 'No path available' });
  }
  request.log.info('menu', { callSid: params.CallSid, offers: offers.map((o) => ({ path: o.path, reasons: o.reasons })) });
  const after = MENU_AFTER.find((a) => a === params.after);
  const callbackWhen = callbackOpeningWhen(line, request.now, defaultTimezone);
  return decideMenu({ line, offered, attempt: 0, contact: caller.contact, after, carry: call.carry(), callbackWhen });
}

export async function handleMenuChoice(call: CallSession): Promise<Step> {
  const { params, request } = call;
  const { line, caller } = await call.facts();
  if (!line) return unknownLineStep();
  const offered = parsePaths(params.offered);
  const attempt = Math.min(Math.max(Number.parseInt(params.attempt ?? '0', 10) || 0, 0), MAX_MENU_REPROMPTS + 1);
  const callbackWhen = callbackOpeningWhen(line, request.now, request.config.defaultTimezone);
  const menu = (overrides: Partial<MenuInput>): Step =>
    decideMenu({ line, offered, attempt, contact: caller.contact, carry: call.carry(), callbackWhen, ...overrides });
  const row = { ...baseRow(call, line, caller.contact), Offered: labelPaths(offered) };

  const answer = params.silence ? { kind: 'silence' as const } : readMenuAnswer(offered, params.Digits, params.SpeechResult, line.language);
  switch (answer.kind) {
    case 'repeat':
      return menu({ after: 'repeat' });
    case 'silence':
    case 'no-match':
      if (attempt >= MAX_MENU_REPROMPTS) {
        await call.saveCallRow({ ...row, Outcome: 'No choice made' });
        return decideMenuEnd(line, 'gave-up');
      }
      return menu({ attempt: attempt + 1, after: answer.kind });
    case 'declined':
      await call.saveCallRow({ ...row, Outcome: 'Declined' });
      return decideMenuEnd(line, 'declined');
    case 'chosen': {
      const handOff = HAND_OFFS[answer.path];
      if (handOff) return handOff({ call, line, caller, row: { ...row, Chosen: labelPaths([answer.path]) } });
      await call.saveCallRow({ ...row, Chosen: labelPaths([answer.path]) });
      // A path not built yet: say so honestly and offer what is left.
      return call.menuWithout(answer.path, 'path-unavailable');
    }
    default: {
      const unreachable: never = answer;
      return unreachable;
    }
  }
}
