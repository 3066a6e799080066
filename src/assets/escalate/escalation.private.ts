// The shell of /escalate and its choice step: loads the line and the caller (in parallel),
// asks the policy and the menu for a Step, and writes the call log.
import { labelPaths, retryPendingCallRow, saveCallRow, type CallRow } from '../shell/call-log.private';
import { createAirtableStore } from '../adapters/airtable-store.private';
import { resolveLine } from '../shell/line-lookup.private';
import { unknownLineStep } from '../core/incoming.private';
import { decideMenu, decideMenuEnd, MAX_MENU_REPROMPTS, MENU_AFTER, readMenuAnswer, type MenuAfter, type MenuInput } from '../core/menu.private';
import { PATHS, type Contact, type Line, type Path } from '../core/model.private';
import { callerIdOf, countryOf, toE164Shape } from '../core/phone.private';
import { availablePaths, decideOffers, featuresFromEnv, type CallerFacts } from '../core/policy.private';
import type { Step, Utterance } from '../core/steps.private';
import type { Params, WebhookRequest } from '../shell/webhook.private';
import { emailHandOff } from '../email/email-send.private';

const MAX_REASON_LENGTH = 200;

// What was found about each caller, per call, on this warm instance: the menu and its choice step
// then cost one contact read per call instead of one per webhook.
const CALLER_MEMORY_MS = 15 * 60 * 1000;
const MAX_REMEMBERED_CALLS = 1000;
const callers = new Map<string, { readonly contact: Contact | undefined; readonly at: number }>();

function rememberCaller(callSid: string | undefined, contact: Contact | undefined, now: number): void {
  if (!callSid) return;
  if (callers.size >= MAX_REMEMBERED_CALLS) callers.delete(callers.keys().next().value as string);
  callers.set(callSid, { contact, at: now });
}

function rememberedCaller(callSid: string | undefined, now: number): { contact: Contact | undefined } | undefined {
  const known = callSid ? callers.get(callSid) : undefined;
  return known && now - known.at < CALLER_MEMORY_MS ? known : undefined;
}

/** Studio's `Reason` and `Line`, and the paths already tried, carried from step to step in the URL. */
export function carriedQuery(params: Params, extra: Record<string, string> = {}): string {
  const carried: Record<string, string> = { ...extra };
  if (params.Reason) carried.Reason = params.Reason.slice(0, MAX_REASON_LENGTH);
  if (params.Line) carried.Line = params.Line;
  if (params.exclude) carried.exclude = params.exclude;
  return new URLSearchParams(carried).toString();
}

export function parsePaths(raw: string | undefined): Path[] {
  const names = new Set((raw ?? '').split(','));
  return PATHS.filter((p) => names.has(p));
}

async function findContact(request: WebhookRequest, callerId: string | undefined): Promise<Contact | undefined> {
  const store = createAirtableStore(request.config);
  if (!callerId || !store) return undefined;
  const { CallSid } = request.params;
  const now = request.now.getTime();
  const remembered = rememberedCaller(CallSid, now);
  if (remembered) return remembered.contact;
  try {
    const contact = await store.findContact(callerId, request.deadline);
    rememberCaller(CallSid, contact, now);
    return contact;
  } catch (error) {
    // Not knowing the caller only costs the personal touch; the menu goes on.
    request.log.warn('contact-unavailable', { error });
    return undefined;
  }
}

/** The line and what is on file about the caller, fetched at the same time. */
export async function loadCallFacts(request: WebhookRequest): Promise<{ line: Line | undefined; caller: CallerFacts }> {
  const { params } = request;
  const callerId = callerIdOf(params.From, params.FromCountry || countryOf(toE164Shape(params.Line ?? params.To)));
  const [line, contact] = await Promise.all([
    resolveLine(request, params.Line ?? params.To),
    findContact(request, callerId),
    retryPendingCallRow(request),
  ]);
  return { line, caller: { callerId, contact } };
}

/**
 * Back to the menu without `path` (and whatever was excluded before): after a path failed or is not
 * available, the caller hears why (`after`) and the paths that remain.
 */
export function menuWithout(params: Params, path: Path, after: MenuAfter, say: readonly Utterance[] = []): Step {
  const exclude = [...parsePaths(params.exclude), path].join(',');
  return { kind: 'say-and-redirect', say, url: `/escalate?${carriedQuery({ ...params, exclude }, { after })}` };
}

/** What a path needs to take over from the menu: the line and caller already loaded, and the row to write. */
export interface HandOffInput {
  readonly request: WebhookRequest;
  readonly line: Line;
  readonly caller: CallerFacts;
  /** The Calls row of the choice (Offered, Chosen, Contact...): the path adds its fields and writes it once. */
  readonly row: CallRow;
}

/** Each built path's first step, keyed by path. A path missing here is answered "not available yet". */
const HAND_OFFS: Partial<Record<Path, (input: HandOffInput) => Promise<Step>>> = {
  email: emailHandOff,
};

function baseRow(request: WebhookRequest, line: Line, contact: Contact | undefined): Record<string, string> {
  const { params } = request;
  const row: Record<string, string> = { Line: line.phoneNumber, 'Started At': request.now.toISOString() };
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
  });
  const offered = availablePaths(offers).filter((p) => !excluded.includes(p));
  if (offered.length === 0) {
    await saveCallRow(request, { ...baseRow(request, line, caller.contact), Offered: '', Outcome: 'No path available' });
  }
  request.log.info('menu', { callSid: params.CallSid, offers: offers.map((o) => ({ path: o.path, reasons: o.reasons })) });
  const after = MENU_AFTER.find((a) => a === params.after);
  return decideMenu({ line, offered, attempt: 0, contact: caller.contact, after, carry: carriedQuery(params) });
}

export async function handleMenuChoice(request: WebhookRequest): Promise<Step> {
  const { params } = request;
  const { line, caller } = await loadCallFacts(request);
  if (!line) return unknownLineStep();
  const offered = parsePaths(params.offered);
  const attempt = Math.min(Math.max(Number.parseInt(params.attempt ?? '0', 10) || 0, 0), MAX_MENU_REPROMPTS + 1);
  const menu = (overrides: Partial<MenuInput>): Step =>
    decideMenu({ line, offered, attempt, contact: caller.contact, carry: carriedQuery(params), ...overrides });
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
