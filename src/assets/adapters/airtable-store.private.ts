// The business's lines and contacts, and the Calls upsert, through the request helpers of
// airtable-requests. Lines are kept in the cache the caller hands in (the instance's call memory) and
// served stale when Airtable fails.
import { airtableRequests, formulaString, type AirtableFields as Fields, type AirtableRequests } from './airtable-requests.private';
import { LINE_DEFAULTS, type Config, type Contact, type Language, type Line, type TransferMethod } from '../core/model.private';
import { MAX_MORE_AGENT_NUMBERS, splitAgentNumbers, toE164Shape } from '../core/phone.private';

const str = (f: Fields, k: string): string | undefined => {
  const v = f[k];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};
const bool = (f: Fields, k: string): boolean => f[k] === true;
const positive = (f: Fields, k: string, fallback: number): number => {
  const v = typeof f[k] === 'number' ? (f[k] as number) : Number(f[k]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
};

export function lineFromFields(id: string | undefined, f: Fields, config: Pick<Config, 'defaultTimezone' | 'fallbackTransferNumber'>): Line {
  const language: Language = str(f, 'Language')?.toLowerCase().startsWith('es') ? 'es-US' : 'en-US';
  const transferMethod: TransferMethod = str(f, 'Transfer Method')?.toUpperCase().replace(/\s+/g, ' ') === 'SIP REFER' ? 'SIP REFER' : 'Bridge';
  const holidays = (str(f, 'Holidays') ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  return {
    id,
    name: str(f, 'Name') ?? 'our team',
    phoneNumber: str(f, 'Phone Number') ?? '',
    greeting: str(f, 'Greeting'),
    language,
    voice: str(f, 'Voice'),
    timezone: str(f, 'Timezone') ?? config.defaultTimezone,
    businessHours: str(f, 'Business Hours'),
    holidays,
    // SPEC §4: FALLBACK_TRANSFER_NUMBER serves a line that has none.
    fallbackTransferNumber: str(f, 'Fallback Transfer Number') ?? config.fallbackTransferNumber,
    moreAgentNumbers: splitAgentNumbers(str(f, 'More Agent Numbers'))
      .filter((n) => toE164Shape(n) === n)
      .slice(0, MAX_MORE_AGENT_NUMBERS),
    ringStrategy: str(f, 'Ring Strategy')?.toLowerCase() === 'simultaneous' ? 'Simultaneous' : 'In Order',
    ringSeconds: positive(f, 'Ring Seconds', LINE_DEFAULTS.ringSeconds),
    transferMethod,
    sipUri: str(f, 'SIP URI'),
    liveTransfer: bool(f, 'Live Transfer'),
    phoneCallback: bool(f, 'Phone Callback'),
    scheduledCallback: bool(f, 'Scheduled Callback'),
    textLink: bool(f, 'Text Link'),
    emailContact: bool(f, 'Email Contact'),
    recordAgentLeg: bool(f, 'Record Agent Leg'),
    recordingNotice: str(f, 'Recording Notice'),
    agentMustAccept: bool(f, 'Agent Must Accept'),
    supportLink: str(f, 'Support Link'),
    supportNumber: str(f, 'Support Number'),
    callbackSlotMinutes: positive(f, 'Callback Slot Minutes', LINE_DEFAULTS.callbackSlotMinutes),
    callbackSlotCapacity: positive(f, 'Callback Slot Capacity', LINE_DEFAULTS.callbackSlotCapacity),
    callbackDaysAhead: positive(f, 'Callback Days Ahead', LINE_DEFAULTS.callbackDaysAhead),
    callbackMaxAttempts: positive(f, 'Callback Max Attempts', LINE_DEFAULTS.callbackMaxAttempts),
    voicemail: bool(f, 'Voicemail'),
    voicemailMaxSeconds: positive(f, 'Voicemail Max Seconds', LINE_DEFAULTS.voicemailMaxSeconds),
    voicemailEmail: str(f, 'Voicemail Email'),
  };
}

export function contactFromFields(id: string, f: Fields): Contact {
  return {
    id,
    name: str(f, 'Name'),
    phone: str(f, 'Phone'),
    callbackNumber: str(f, 'Callback Number'),
    email: str(f, 'Email'),
    doNotContact: bool(f, 'Do Not Contact'),
    lastInteraction: str(f, 'Last Interaction'),
  };
}

export interface AirtableStore {
  /** The line whose Phone Number is `phoneNumber`; undefined when none. Throws when Airtable fails and nothing is cached. */
  findLine(phoneNumber: string, deadline: number): Promise<Line | undefined>;
  /** The contact whose Phone or Callback Number is `phoneNumber`; a Phone match wins. */
  findContact(phoneNumber: string, deadline: number): Promise<Contact | undefined>;
  /**
   * Saves a number the caller keyed in and confirmed as the contact's `Callback Number`, with `Last
   * Interaction`: on the known contact, else on the contact with that caller ID or that callback number
   * (created when there is none). An upsert, so a repeated webhook writes the same row again.
   */
  saveContactNumber(input: { contactId?: string; callerId?: string; number: string; now: Date }, deadline: number): Promise<void>;
  /** Creates or updates the Calls row whose `Call SID` is `fields['Call SID']`, in one request. */
  upsertCall(fields: Readonly<Record<string, string | number>>, deadline: number): Promise<void>;
}

/** A line as fetched, and when (epoch ms). */
export interface CachedLine {
  readonly line: Line;
  readonly fetchedAt: number;
}

/** Where lines are kept between requests of a warm instance (call/memory holds the one cache). */
export interface LineCache {
  get(phoneNumber: string): CachedLine | undefined;
  set(phoneNumber: string, cached: CachedLine): void;
  delete(phoneNumber: string): void;
  /**
   * The read of `phoneNumber`'s line already in flight on this instance, else `read()`: calls that
   * arrive together on a cold instance (or as the line expires) make one Airtable request, not one each.
   */
  shareRead(phoneNumber: string, read: () => Promise<Line | undefined>): Promise<Line | undefined>;
}


/** The contacts whose Phone or Callback Number is one of `numbers`. */
function contactsFormula(numbers: readonly string[]): string {
  return `OR(${numbers.map((n) => `{Phone} = ${formulaString(n)}, {Callback Number} = ${formulaString(n)}`).join(', ')})`;
}

/**
 * The store over `requests` (one per webhook request); lines are cached in `lineCache` when given.
 * `clock` is the requests' clock (tests pass their own).
 */
export function airtableStoreWith(requests: AirtableRequests, config: Config, lineCache?: LineCache, clock: () => number = Date.now): AirtableStore {
  const { withRetry, select } = requests;

  async function findContact(phoneNumber: string, deadline: number): Promise<Contact | undefined> {
    // On a busy instance the lookups of several callers go in one request: each picks its own contacts.
    const records = await requests.selectFor('contacts by number', 'Contacts', phoneNumber, contactsFormula, 10, deadline);
    const contacts = records.map((r) => contactFromFields(r.id, r.fields)).filter((c) => c.phone === phoneNumber || c.callbackNumber === phoneNumber);
    return contacts.find((c) => c.phone === phoneNumber) ?? contacts[0];
  }

  return {
    async findLine(phoneNumber, deadline) {
      const cached = lineCache?.get(phoneNumber);
      if (cached && clock() - cached.fetchedAt < config.lineCacheMs) return cached.line;
      const read = async () => {
        const [record] = await select('Lines', `{Phone Number} = ${formulaString(phoneNumber)}`, 1, deadline);
        if (!record) {
          // Not cached: a line added a moment ago must answer on its very next call.
          lineCache?.delete(phoneNumber);
          return undefined;
        }
        const line = lineFromFields(record.id, record.fields, config);
        lineCache?.set(phoneNumber, { line, fetchedAt: clock() });
        return line;
      };
      try {
        return await (lineCache ? lineCache.shareRead(phoneNumber, read) : read());
      } catch (error) {
        if (cached) return cached.line; // stale beats silence
        throw error;
      }
    },
    findContact,
    async saveContactNumber({ contactId, callerId, number, now }, deadline) {
      const fields = { 'Callback Number': number, 'Last Interaction': now.toISOString() };
      // A caller we did not recognise may key in a number already on file (an anonymous caller ID, another
      // phone): SPEC has the keyed number looked up too, so it lands on that contact, not on a new one.
      const known = contactId ?? (await findContact(number, deadline))?.id;
      if (known) {
        await withRetry(deadline, (base) => base('Contacts').update([{ id: known, fields }], { typecast: true }));
        return;
      }
      const mergeOn = callerId ? 'Phone' : 'Callback Number';
      const row = callerId ? { ...fields, Phone: callerId } : fields;
      await withRetry(deadline, (base) =>
        base('Contacts').update([{ fields: row } as never], { performUpsert: { fieldsToMergeOn: [mergeOn] }, typecast: true } as never),
      );
    },
    upsertCall(fields, deadline) {
      return requests.upsert('Calls', 'Call SID', fields, deadline);
    },
  };
}

/** The store for `config` with its own requests; undefined when Airtable is not configured. */
export function createAirtableStore(config: Config, lineCache?: LineCache, clock: () => number = Date.now): AirtableStore | undefined {
  const requests = airtableRequests(config, clock);
  return requests && airtableStoreWith(requests, config, lineCache, clock);
}
