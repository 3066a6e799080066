// The one thing a warm Functions instance remembers between requests: what it learnt about the calls it
// serves, and the lines it looked up. Module scope outlives one invocation, and a call's next webhook
// usually lands on the same instance, so this saves, per call:
// - the contact found by caller ID (the menu and its choice cost one contact read per call, not per webhook);
// - the conversation with the bot (`Bot Log`) and when the call was first seen (`Started At`, never moved);
// - Calls writes that failed and final call statuses whose row could not be read, sent again by the
//   call's next webhook or the instance's next event (late at worst, never silently lost);
// - what the call has sent, its case number and the sends in flight (a repeated webhook racing the first
//   sends nothing), and the recordings whose transcript is being made;
// - for a callback's agent call that ended, that the next agent of the group is being rung (a duplicate
//   status callback on this instance rings nobody; on another instance the Callbacks row turns it away
//   once the next call is written), and that a voicemail's callback row is being stored (a duplicate
//   recording callback on this instance waits for it instead of creating a second row), and that a ring
//   group's caller was sent from the room to the apology (a second report of it redirects nobody);
// and, per line, the line itself (fresh for LINE_CACHE_SECONDS, served stale while Airtable fails; one read
// in flight per line, shared by the calls that arrive while it is); and, per base, when this instance
// last sent Airtable requests, so that it never sends more than Airtable's 5 a second (adapters/airtable-pacer),
// with the requests waiting for a turn together (adapters/airtable-batcher).
//
// Nothing here is the truth: Airtable is. When the instance is recycled all of it is lost, and so is what
// another instance learnt: a later webhook then reads the contact again, the Bot Log keeps only what this
// instance heard, a write kept for retry is lost (its row stays as last written), and the once-only rule
// falls back on the Calls row's `Sent`. One size cap and one expiry for everything: an entry unused for
// MAX_AGE_MS goes, and beyond MAX_ENTRIES the least recently used goes first.
import { requestBatcher } from '../adapters/airtable-batcher.private';
import { airtablePacer } from '../adapters/airtable-pacer.private';
import type { AirtablePace } from '../adapters/airtable-requests.private';
import type { CachedLine, LineCache } from '../adapters/airtable-store.private';
import type { Config, Contact, Line } from '../core/model.private';
import type { Booking, CallRow } from '../core/rows.private';
import type { SentChannel, SentEntry } from '../core/sent-ledger.private';
import type { EventAnswer } from './request.private';

export const MAX_ENTRIES = 1000;
export const MAX_AGE_MS = 60 * 60 * 1000;

/** A final call status (`/events/call-status`) kept because the call's row could not be read. */
export interface FinalStatus {
  readonly status: string;
  readonly duration: string | undefined;
}

/** What this instance knows about one call. */
export interface CallState {
  /** When this instance first saw the call (epoch ms): the call's `Started At`. */
  readonly startedAt: number;
  /** What the bot said and what the caller said or pressed, one line a turn. */
  readonly botLines: string[];
  /** The contact on file for the caller ID (undefined: looked up, nobody), once looked up. */
  caller?: { readonly contact: Contact | undefined };
  /** The last Outcome this instance wrote on the call's row (the row exists): the final status need not read it. */
  writtenOutcome?: string;
  /** This instance wrote the call's row: it is in the log, and a transcript need not read it to know. */
  rowWritten?: boolean;
  /** A Calls write that failed, to send again merged with the next one. */
  pendingRow?: CallRow;
  /** A final status whose row could not be read. */
  pendingStatus?: FinalStatus;
  /** What this instance sent (or learnt was sent) in this call. */
  sent?: SentEntry[];
  /** The case number this instance gave, or is giving, the call. */
  caseNumber?: string;
  /** Channels being sent right now on this instance. */
  readonly sending: Set<SentChannel>;
  /** Recordings of this call whose transcript this instance is creating or created. */
  readonly transcribing: Set<string>;
  /** The line's bookings a scheduling step of this call read, reused by the next steps that only offer times. */
  offeredBookings?: { readonly line: string; readonly readAt: number; readonly list: readonly Booking[] };
  /** A callback's agent call that ended: this instance is ringing the next agent for it (a duplicate status callback waits its turn out). */
  passingOn?: boolean;
  /** The voicemail's callback row being stored by this instance: a duplicate delivery of the recording shares it. */
  queueingVoicemail?: { readonly recordingSid: string; readonly stored: Promise<boolean> };
  /** A Simultaneous group's caller sent (or being sent) from the room to the apology: a second report of it sends nobody again. */
  leavingRoom?: Promise<EventAnswer>;
}

interface Entry<T> {
  readonly value: T;
  usedAt: number;
}

/** A Map that keeps its least recently used entry first and drops entries past the cap or the age. */
class Bounded<T> {
  private readonly entries = new Map<string, Entry<T>>();

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.usedAt > MAX_AGE_MS) {
      this.entries.delete(key);
      return undefined;
    }
    entry.usedAt = now;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: T, now: number): T {
    this.entries.delete(key);
    this.entries.set(key, { value, usedAt: now });
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && now - entry.usedAt <= MAX_AGE_MS) break;
      this.entries.delete(oldest);
    }
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Entries still in age, least recently used first, without touching them. */
  *values(now: number): Generator<[string, T]> {
    for (const [key, entry] of this.entries) if (now - entry.usedAt <= MAX_AGE_MS) yield [key, entry.value];
  }

  clear(): void {
    this.entries.clear();
  }
}

export class CallMemory {
  private readonly calls = new Bounded<CallState>();
  private readonly lineEntries = new Bounded<CachedLine>();
  /** Line reads in flight, by number (gone once answered: never a cache of their own). */
  private readonly lineReads = new Map<string, Promise<Line | undefined>>();
  /** The request pace of each base this instance talks to (one or two: never more than the deployments' bases). */
  private readonly paces = new Map<string, AirtablePace>();

  /** The line cache the Airtable store keeps its lines in. */
  readonly lines: LineCache = {
    get: (number) => this.lineEntries.get(number, Date.now()),
    set: (number, cached) => void this.lineEntries.set(number, cached, Date.now()),
    delete: (number) => this.lineEntries.delete(number),
    shareRead: (number, read) => {
      const inFlight = this.lineReads.get(number);
      if (inFlight) return inFlight;
      const reading = read().finally(() => this.lineReads.delete(number));
      this.lineReads.set(number, reading);
      return reading;
    },
  };

  /** The pace of requests to the config's base; undefined when it goes unpaced (AIRTABLE_REQUESTS_PER_SECOND=0). */
  airtablePace({ airtable }: Config): AirtablePace | undefined {
    if (!airtable.baseId || airtable.requestsPerSecond <= 0) return undefined;
    const key = `${airtable.baseId} ${airtable.requestsPerSecond}`;
    const known = this.paces.get(key);
    if (known) return known;
    const pace: AirtablePace = { pacer: airtablePacer(airtable.requestsPerSecond), batcher: requestBatcher() };
    this.paces.set(key, pace);
    return pace;
  }

  /** What is known about `callSid`, made (empty) when nothing is. */
  call(callSid: string, now: number): CallState {
    return this.calls.get(callSid, now) ?? this.calls.set(callSid, { startedAt: now, botLines: [], sending: new Set(), transcribing: new Set() }, now);
  }

  /** What is known about `callSid`, or undefined: nothing is made. */
  known(callSid: string, now: number): CallState | undefined {
    return this.calls.get(callSid, now);
  }

  /** Calls that have work waiting (`pendingRow` or `pendingStatus`), the longest waiting first. */
  waiting(now: number, what: 'pendingRow' | 'pendingStatus'): [string, CallState][] {
    return [...this.calls.values(now)].filter(([, state]) => state[what] !== undefined);
  }

  /** Forgets everything (tests; an instance starts this way). */
  reset(): void {
    this.calls.clear();
    this.lineEntries.clear();
    this.lineReads.clear();
    this.paces.clear();
  }
}

/** The instance's memory: the one module-level mutable structure of the Functions. */
export const callMemory = new CallMemory();
