// What every step after the menu shares: the line and the caller loaded for a call (once per call on
// a warm instance), the query carried from step to step, and the way back to the menu without a path.
// The paths import this module; the menu (escalation.private) imports the paths: no cycle.
import { retryPendingCallRow, type CallRow } from '../shell/call-log.private';
import { createAirtableStore } from '../adapters/airtable-store.private';
import { resolveLine } from '../shell/line-lookup.private';
import type { MenuAfter } from '../core/menu.private';
import { PATHS, type Contact, type Line, type Path } from '../core/model.private';
import { callerIdOf, countryOf, toE164Shape } from '../core/phone.private';
import type { CallerFacts } from '../core/policy.private';
import type { Step, Utterance } from '../core/steps.private';
import type { Params, WebhookRequest } from '../shell/webhook.private';

export const MAX_REASON_LENGTH = 200;

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

/**
 * The caller as far as `number` tells (SPEC: "a number keyed in later is looked up too"): a number that
 * is not the caller's own (keyed in, or confirmed from another field) is looked up, so a path names its
 * contact and honours its Do Not Contact. The caller's own numbers need no second read; a number nobody
 * has leaves the caller as recognised by caller ID. Undefined when Airtable cannot say.
 */
export async function callerForNumber(request: WebhookRequest, caller: CallerFacts, number: string): Promise<CallerFacts | undefined> {
  // Without a contact the caller may be unknown or the lookup may have failed: only a read can tell.
  if (caller.contact && [caller.contact.phone, caller.contact.callbackNumber, caller.callerId].includes(number)) return caller;
  const store = createAirtableStore(request.config);
  if (!store) return undefined;
  try {
    const contact = await store.findContact(number, request.deadline);
    return contact ? { ...caller, contact } : caller;
  } catch (error) {
    request.log.warn('contact-unavailable', { callSid: request.params.CallSid, error });
    return undefined;
  }
}

/**
 * Whether `number` may be called, texted or emailed: SPEC "Do Not Contact blocks callbacks, texts and
 * emails", for the contact who owns the number. When Airtable cannot say, nobody can tell whether the
 * number asked not to be contacted: not allowed. The one check every path uses before contacting a number.
 */
export async function numberMayBeContacted(request: WebhookRequest, number: string, caller: CallerFacts): Promise<boolean> {
  const owner = await callerForNumber(request, caller, number);
  return owner !== undefined && !owner.contact?.doNotContact;
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
