// The shell of /escalate and its choice step: loads the line and the caller (in parallel),
// asks the policy and the menu for a Step, and writes the call log.
import { callStartedAt } from '../shell/bot-log.private';
import { labelPaths, saveCallRow } from '../shell/call-log.private';
import { unknownLineStep } from '../core/incoming.private';
import { decideMenu, decideMenuEnd, MAX_MENU_REPROMPTS, MENU_AFTER, readMenuAnswer, type MenuInput } from '../core/menu.private';
import type { Contact, Line, Path } from '../core/model.private';
import { availablePaths, decideOffers, featuresFromEnv } from '../core/policy.private';
import type { Step } from '../core/steps.private';
import type { WebhookRequest } from '../shell/webhook.private';
import { startLiveTransfer } from '../transfer/live-transfer.private';
import { carriedQuery, loadCallFacts, menuWithout, parsePaths, MAX_REASON_LENGTH, type HandOffInput } from './hand-off.private';
import { emailHandOff } from '../email/email-send.private';
import { startNumberEntry } from '../number-entry/number-entry.private';
import { callbackOpeningWhen } from '../callback/decide-callback.private';
import { hasSlotsAhead, scheduleOf, slotSettingsOf } from '../schedule/slots.private';

/** Each built path's first step, keyed by path. A path missing here is answered "not available yet". */
const HAND_OFFS: Partial<Record<Path, (input: HandOffInput) => Promise<Step>>> = {
  'live-transfer': (input) => startLiveTransfer(input),
  'callback-now': (input) => startNumberEntry(input, 'callback-now'),
  'callback-scheduled': (input) => startNumberEntry(input, 'callback-scheduled'),
  'text-link': (input) => startNumberEntry(input, 'text-link'),
  email: emailHandOff,
};

function baseRow(request: WebhookRequest, line: Line, contact: Contact | undefined): Record<string, string> {
  const { params } = request;
  // The same instant on every write of the call (when this instance first saw it), so a later write
  // never moves `Started At`.
  const startedAt = (params.CallSid && callStartedAt(params.CallSid)) || request.now.getTime();
  const row: Record<string, string> = { Line: line.phoneNumber, 'Started At': new Date(startedAt).toISOString() };
  if (params.From) row.From = params.From;
  if (contact) row.Contact = contact.name ?? contact.id;
  if (params.Reason) row.Reason = params.Reason.slice(0, MAX_REASON_LENGTH);
  return row;
}

export async function handleEscalate(request: WebhookRequest): Promise<Step> {
  const { params, config } = request;
  const { line, caller } = await loadCallFacts(request);
  if (!line) return unknownLineStep();
  const excluded = parsePaths(params.exclude);
  const offers = decideOffers({
    features: featuresFromEnv(config.featureFlags),
    line,
    caller,
    now: request.now,
    defaultTimezone: config.defaultTimezone,
    hasOpenSlots: line.scheduledCallback && hasSlotsAhead(scheduleOf(line, config.defaultTimezone), slotSettingsOf(line), request.now),
  });
  const offered = availablePaths(offers).filter((p) => !excluded.includes(p));
  // Back from a failed path with nothing left: that path's write already says what happened.
  if (offered.length === 0 && excluded.length === 0) {
    await saveCallRow(request, { ...baseRow(request, line, caller.contact), Offered: '', Outcome: 'No path available' });
  }
  request.log.info('menu', { callSid: params.CallSid, offers: offers.map((o) => ({ path: o.path, reasons: o.reasons })) });
  const after = MENU_AFTER.find((a) => a === params.after);
  const callbackWhen = callbackOpeningWhen(line, request.now, config.defaultTimezone);
  return decideMenu({ line, offered, attempt: 0, contact: caller.contact, after, carry: carriedQuery(params), callbackWhen });
}

export async function handleMenuChoice(request: WebhookRequest): Promise<Step> {
  const { params } = request;
  const { line, caller } = await loadCallFacts(request);
  if (!line) return unknownLineStep();
  const offered = parsePaths(params.offered);
  const attempt = Math.min(Math.max(Number.parseInt(params.attempt ?? '0', 10) || 0, 0), MAX_MENU_REPROMPTS + 1);
  const menu = (overrides: Partial<MenuInput>): Step =>
    decideMenu({
      line,
      offered,
      attempt,
      contact: caller.contact,
      carry: carriedQuery(params),
      callbackWhen: callbackOpeningWhen(line, request.now, request.config.defaultTimezone),
      ...overrides,
    });
  const row = { ...baseRow(request, line, caller.contact), Offered: labelPaths(offered) };

  const answer = params.silence ? { kind: 'silence' as const } : readMenuAnswer(offered, params.Digits, params.SpeechResult, line.language);
  switch (answer.kind) {
    case 'repeat':
      return menu({ after: 'repeat' });
    case 'silence':
    case 'no-match':
      if (attempt >= MAX_MENU_REPROMPTS) {
        await saveCallRow(request, { ...row, Outcome: 'No choice made' });
        return decideMenuEnd(line, 'gave-up');
      }
      return menu({ attempt: attempt + 1, after: answer.kind });
    case 'declined':
      await saveCallRow(request, { ...row, Outcome: 'Declined' });
      return decideMenuEnd(line, 'declined');
    case 'chosen': {
      const handOff = HAND_OFFS[answer.path];
      if (handOff) return handOff({ request, line, caller, row: { ...row, Chosen: labelPaths([answer.path]) } });
      await saveCallRow(request, { ...row, Chosen: labelPaths([answer.path]) });
      // A path not built yet: say so honestly and offer what is left.
      return menuWithout(params, answer.path, 'path-unavailable');
    }
    default: {
      const unreachable: never = answer;
      return unreachable;
    }
  }
}
