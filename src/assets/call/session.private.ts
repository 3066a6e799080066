// The call in progress, as every path sees it: one CallSession per webhook request, made by the shell's
// wrappers and handed to the handler. It loads the facts once per request (the line and the caller, at
// the same time, with one Airtable store), answers "is this path still offered to this caller now" with
// the policy's one rule, saves the call row, carries the URL state, leads back to the menu without a
// path, and sends a text or an email once. What it remembers between requests is in the call memory.
import { airtableRequests, type AirtableRequests } from '../adapters/airtable-requests.private';
import { airtableStoreWith, type AirtableStore } from '../adapters/airtable-store.private';
import { bookingsTableWith, type BookingsTable } from '../adapters/bookings-table.private';
import { callbacksTableWith, type CallbacksTable } from '../adapters/callbacks-table.private';
import { loadCallRow, type CallLogRow } from '../adapters/calls-table.private';
import { carriedQuery, menuWithout } from '../core/carried-query.private';
import type { MenuAfter } from '../core/menu.private';
import type { Contact, Line, Path } from '../core/model.private';
import { callerIdOf, countryOf, toE164Shape } from '../core/phone.private';
import { decideOffers, featuresFromEnv, type CallerFacts, type Offer } from '../core/policy.private';
import type { Booking, CallbackRow, CallRow } from '../core/rows.private';
import type { SentChannel, SentEntry } from '../core/sent-ledger.private';
import type { Step, Utterance } from '../core/steps.private';
import type { Query } from '../core/urls.private';
import { retryPendingCallRow, retryPendingCallRows, saveCallRowFor } from './call-log.private';
import { findLine } from './line-lookup.private';
import { callMemory } from './memory.private';
import type { Params, WebhookRequest } from './request.private';
import { loadLedger, recordLedger, sendOnce, type CallLedger, type SendOnce, type SendRecord } from './sent-log.private';

/** The line the call is for (undefined: no line has its number) and what is on file about the caller. */
export interface CallFacts {
  readonly line: Line | undefined;
  readonly caller: CallerFacts;
}

/** How long the scheduling steps that only offer times reuse the bookings an earlier step of the call read. */
const OFFER_BOOKINGS_MS = 60_000;

export class CallSession<R extends WebhookRequest = WebhookRequest> {
  private airtableMade?: { readonly requests: AirtableRequests | undefined; readonly store: AirtableStore | undefined };
  private loaded?: Promise<CallFacts>;
  private tables?: { readonly callbacks: CallbacksTable; readonly bookings: BookingsTable };

  constructor(readonly request: R) {}

  /** This request's Airtable requests: built on first use (a whisper needs none), then shared by everything the request does. */
  get airtable(): AirtableRequests | undefined {
    return this.airtableOnce().requests;
  }

  /** This request's one Airtable store (lines cached in the call memory). */
  get store(): AirtableStore | undefined {
    return this.airtableOnce().store;
  }

  private airtableOnce() {
    if (!this.airtableMade) {
      const requests = airtableRequests(this.request.config, Date.now, callMemory.airtablePace(this.request.config));
      this.airtableMade = { requests, store: requests && airtableStoreWith(requests, this.request.config, callMemory.lines) };
    }
    return this.airtableMade;
  }

  get params(): Params {
    return this.request.params;
  }

  /** The webhook's `CallSid` ('' when Twilio sent none). */
  get callSid(): string {
    return this.request.params.CallSid ?? '';
  }

  /** The line (`Line`, else `To`) and the caller by caller ID, loaded once; a row this call left unwritten is sent meanwhile. */
  facts(): Promise<CallFacts> {
    this.loaded ??= this.loadFacts();
    return this.loaded;
  }

  private async loadFacts(): Promise<CallFacts> {
    const { params } = this.request;
    const callerId = callerIdOf(params.From, params.FromCountry || countryOf(toE164Shape(params.Line ?? params.To)));
    const [line, contact] = await Promise.all([
      this.line(params.Line ?? params.To),
      this.contactByCallerId(callerId),
      retryPendingCallRow(this, params.CallSid),
    ]);
    return { line, caller: { callerId, contact } };
  }

  /** The line with this number (see call/line-lookup: cached, else the stand-in line). */
  line(rawNumber: string | undefined): Promise<Line | undefined> {
    return findLine(this.request, this.store, rawNumber);
  }

  /** The caller ID's contact, remembered per call: the menu and its choice cost one contact read per call. */
  private async contactByCallerId(callerId: string | undefined): Promise<Contact | undefined> {
    if (!callerId || !this.store) return undefined;
    const { CallSid } = this.request.params;
    const now = this.request.now.getTime();
    const known = CallSid ? callMemory.known(CallSid, now)?.caller : undefined;
    if (known) return known.contact;
    try {
      const contact = await this.store.findContact(callerId, this.request.deadline);
      if (CallSid) callMemory.call(CallSid, now).caller = { contact };
      return contact;
    } catch (error) {
      // Not knowing the caller only costs the personal touch; the menu goes on.
      this.request.log.warn('contact-unavailable', { error });
      return undefined;
    }
  }

  /**
   * The caller as far as `number` tells (SPEC: "a number keyed in later is looked up too"): a number that
   * is not the caller's own (keyed in, or confirmed from another field) is looked up, so a path names its
   * contact and honours its Do Not Contact. The caller's own numbers need no second read; a number nobody
   * has leaves the caller as recognised by caller ID. Undefined when Airtable cannot say.
   */
  async callerForNumber(caller: CallerFacts, number: string): Promise<CallerFacts | undefined> {
    // Without a contact the caller may be unknown or the lookup may have failed: only a read can tell.
    if (caller.contact && [caller.contact.phone, caller.contact.callbackNumber, caller.callerId].includes(number)) return caller;
    if (!this.store) return undefined;
    try {
      const contact = await this.store.findContact(number, this.request.deadline);
      return contact ? { ...caller, contact } : caller;
    } catch (error) {
      this.request.log.warn('contact-unavailable', { callSid: this.request.params.CallSid, error });
      return undefined;
    }
  }

  /**
   * Whether `number` may be called, texted or emailed: SPEC "Do Not Contact blocks callbacks, texts and
   * emails", for the contact who owns the number. When Airtable cannot say, nobody can tell whether the
   * number asked not to be contacted: not allowed.
   */
  async mayContact(number: string, caller: CallerFacts): Promise<boolean> {
    const owner = await this.callerForNumber(caller, number);
    return owner !== undefined && !owner.contact?.doNotContact;
  }

  /** Every path for this caller on this line now, each saying whether it is available (core/policy). */
  offers(line: Line, caller: CallerFacts, hasOpenSlots?: boolean): Offer[] {
    const { config, now } = this.request;
    return decideOffers({ features: featuresFromEnv(config.featureFlags), line, caller, now, defaultTimezone: config.defaultTimezone, hasOpenSlots });
  }

  /** Is `path` still offered to this caller now? The one rule every path checks before it acts. */
  isOffered(path: Path, line: Line, caller: CallerFacts): boolean {
    return this.offers(line, caller).some((offer) => offer.path === path && offer.available);
  }

  /** Creates or updates this call's row with `fields` (and anything an earlier failed write left). */
  saveCallRow(fields: CallRow): Promise<boolean> {
    return saveCallRowFor(this, this.request.params.CallSid, fields);
  }

  /** The same for another call, named by SID (events, callback attempts). */
  saveCallRowFor(callSid: string | undefined, fields: CallRow): Promise<boolean> {
    return saveCallRowFor(this, callSid, fields);
  }

  /** Rows other calls left unwritten on this instance, a couple at a time (events come after a call). */
  retryPendingCallRows(except?: string): Promise<void> {
    return retryPendingCallRows(this, except);
  }

  /** Whether this instance wrote `callSid`'s row: then the call is in the log without asking Airtable. */
  loggedHere(callSid: string): boolean {
    return callMemory.known(callSid, this.request.now.getTime())?.rowWritten === true;
  }

  /** The Calls row of `callSid`; undefined when the call has none. Throws when Airtable fails. */
  callRow(callSid: string): Promise<CallLogRow | undefined> {
    return loadCallRow(this.airtable, callSid, this.request.deadline);
  }

  /** The query carried to the next step (Reason, Line, exclude), with `extra`, encoded. */
  carry(extra: Query = {}): string {
    return carriedQuery(this.request.params, extra);
  }

  /** Back to the menu without `path`, after saying `say`. */
  menuWithout(path: Path, after: MenuAfter, say: readonly Utterance[] = []): Step {
    return menuWithout(this.request.params, path, after, say);
  }

  /** What this call has sent, and its case number. */
  ledger(callSid = this.callSid): Promise<CallLedger> {
    return loadLedger(this, callSid);
  }

  /** Sends on `channel` once for the call (see call/sent-log). */
  sendOnce<T>(channel: SentChannel, ledger: CallLedger, send: (entries: readonly SentEntry[]) => Promise<{ result: T; record?: SendRecord }>, callSid = this.callSid): Promise<SendOnce<T>> {
    return sendOnce(this, callSid, channel, ledger, send);
  }

  /** Records the ledger after a change that needs no claim (a delivery status). */
  recordLedger(callSid: string, entries: readonly SentEntry[]): Promise<void> {
    return recordLedger(this, callSid, entries);
  }

  /** The Callbacks table, on this request's Airtable requests; undefined when Airtable is not configured. */
  callbacks(): CallbacksTable | undefined {
    return this.callbackTables()?.callbacks;
  }

  /** The scheduled bookings (rows of the Callbacks table), likewise. */
  bookings(): BookingsTable | undefined {
    return this.callbackTables()?.bookings;
  }

  /**
   * The line's bookings from yesterday on. The scheduling steps that only offer times (the first
   * question, the time, the yes) reuse what an earlier step of this call read on this instance, within
   * OFFER_BOOKINGS_MS: a place taken meanwhile is caught by the recount (`fresh`), which always reads.
   * `openFor` (the first question) also asks, in the same request, for that number's open callback on
   * the line (SPEC: one per number and line), and so always reads.
   */
  async bookedOnLine(line: string, { fresh, openFor }: { readonly fresh: boolean; readonly openFor?: string }): Promise<{ readonly list: Booking[]; readonly open?: CallbackRow }> {
    const table = this.bookings();
    if (!table) throw new Error('Airtable is not configured');
    const now = this.request.now.getTime();
    const state = this.callSid ? callMemory.call(this.callSid, now) : undefined;
    const kept = state?.offeredBookings;
    if (!fresh && !openFor && kept && kept.line === line && now - kept.readAt <= OFFER_BOOKINGS_MS) return { list: [...kept.list] };
    if (state) state.offeredBookings = undefined;
    const from = new Date(now - 24 * 3_600_000);
    // With `openFor`, the number's open callback on the line comes in the same request.
    const { booked: list, open } = openFor
      ? await table.bookedOnLineAndOpenFor(line, openFor, from, this.request.deadline)
      : { booked: await table.bookedOnLine(line, from, this.request.deadline), open: undefined };
    if (state && !fresh) state.offeredBookings = { line, readAt: now, list };
    return { list, ...(open ? { open } : {}) };
  }

  private callbackTables() {
    if (!this.tables && this.airtable) this.tables = { callbacks: callbacksTableWith(this.airtable), bookings: bookingsTableWith(this.airtable) };
    return this.tables;
  }
}

/** The session of one request (the shell's wrappers call this). */
export function openCallSession<R extends WebhookRequest>(request: R): CallSession<R> {
  return new CallSession(request);
}

/** What a path needs to take over from the menu: the line and caller already loaded, and the row to write. */
export interface HandOff {
  readonly call: CallSession;
  readonly line: Line;
  readonly caller: CallerFacts;
  /** The Calls row of the choice (Offered, Chosen, Contact...): the path adds its fields and writes it once. */
  readonly row: CallRow;
}
