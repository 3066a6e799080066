// Writes to the Contacts table (reads live in airtable-store's findContact): saving a number the
// caller confirmed, creating the contact when the caller was unknown, and `Last Interaction`.
import { airtableRequests, contactFromFields, type AirtableRequests } from './airtable-store.private';
import type { Config } from '../shell/config.private';
import type { Contact } from '../core/model.private';

export interface SaveContactNumberInput {
  /** The contact already matched for this caller, if any. */
  readonly contact?: Contact;
  /** The caller ID (E.164) when there is one: an unknown caller's contact gets it as `Phone`. */
  readonly callerId?: string;
  /** The number the caller keyed in and confirmed (E.164, already validated). */
  readonly number: string;
  readonly now: Date;
}

export interface ContactsTable {
  /**
   * Saves a confirmed number on the caller's contact, with `Last Interaction`:
   * - known contact: `Callback Number` = number (unless it already is their Phone or Callback Number);
   * - unknown caller: a new contact, `Phone` = caller ID when there is one (the number keyed in then
   *   becomes `Callback Number`), else `Phone` = number.
   * An update is retried within the deadline (it is idempotent); a create is sent once (a timeout may
   * still have written it, and a second contact would be a duplicate).
   */
  saveContactNumber(input: SaveContactNumberInput, deadline: number): Promise<Contact>;
  /** Stamps `Last Interaction` on a known contact. */
  touchContact(contactId: string, now: Date, deadline: number): Promise<void>;
}

/** The fields to write for `saveContactNumber`, as a pure decision; undefined `id` means create. */
export function contactNumberWrite(input: SaveContactNumberInput): { id?: string; fields: Record<string, string> } {
  const { contact, callerId, number, now } = input;
  const stamp = { 'Last Interaction': now.toISOString() };
  if (contact) {
    const onFile = contact.phone === number || contact.callbackNumber === number;
    return { id: contact.id, fields: onFile ? stamp : { 'Callback Number': number, ...stamp } };
  }
  if (callerId && callerId !== number) return { fields: { Phone: callerId, 'Callback Number': number, ...stamp } };
  return { fields: { Phone: number, ...stamp } };
}

export function contactsTableWith(requests: AirtableRequests): ContactsTable {
  return {
    async saveContactNumber(input, deadline) {
      const write = contactNumberWrite(input);
      const { id } = write;
      const record = id
        ? await requests.withRetry(deadline, (base) => base('Contacts').update(id, write.fields, { typecast: true }))
        : await requests.once(deadline, (base) => base('Contacts').create(write.fields, { typecast: true }));
      return contactFromFields(record.id, record.fields as Record<string, unknown>);
    },
    async touchContact(contactId, now, deadline) {
      await requests.withRetry(deadline, (base) => base('Contacts').update(contactId, { 'Last Interaction': now.toISOString() }));
    },
  };
}

/** The Contacts writer for this request's config; undefined when Airtable is not configured. */
export function contactsTable(config: Config, clock?: () => number): ContactsTable | undefined {
  const requests = airtableRequests(config, clock);
  return requests && contactsTableWith(requests);
}
