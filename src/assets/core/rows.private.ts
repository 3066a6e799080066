// The rows of the Callbacks and Calls tables as the Functions use them (SPEC §3): plain data, mapped
// from and to Airtable's fields by the adapters. Pure.
import { CALLBACK_STATUS_CHOICES } from './base-schema.private';
import type { Path } from './model.private';

export const CALLBACK_STATUSES = CALLBACK_STATUS_CHOICES;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];
export type CallbackKind = 'Now' | 'Scheduled' | 'Voicemail';

/** A callback that still has a call ahead of it: one per number and line at a time. */
export const OPEN_STATUSES: readonly CallbackStatus[] = ['Queued', 'Booked', 'Dialing', 'Retry'];

/** One row of the Callbacks table; optional fields are absent when the cell is empty. */
export interface CallbackRow {
  readonly id: string;
  /** Airtable's createdTime of the row (ISO, whole seconds): which of two racing rows came first. */
  readonly createdTime?: string;
  readonly line: string;
  readonly contact?: string;
  readonly phone: string;
  readonly kind: CallbackKind;
  readonly scheduledFor?: string;
  readonly status: CallbackStatus;
  readonly attempts: number;
  readonly nextAttemptAt?: string;
  readonly originCallSid?: string;
  readonly callbackCallSid?: string;
  readonly reminderSid?: string;
  readonly reason?: string;
  /** A Voicemail row's recording (the caller's message). */
  readonly voicemailUrl?: string;
}

/** Fields to write; `null` clears a cell. */
export type CallbackChanges = { readonly [K in keyof Omit<CallbackRow, 'id' | 'createdTime'>]?: CallbackRow[K] | null };

/** A Booked (or once-booked) scheduled callback, with the instant it is for and when its row was created. */
export interface Booking {
  readonly id: string;
  /** Airtable's createdTime of the row (ISO, whole seconds). */
  readonly createdTime: string;
  readonly line: string;
  readonly phone: string;
  readonly scheduledFor: Date;
  readonly status: CallbackStatus;
  readonly contact?: string;
  readonly reason?: string;
  readonly originCallSid?: string;
  readonly reminderSid?: string;
}

export interface NewBooking {
  readonly line: string;
  readonly phone: string;
  readonly scheduledFor: Date;
  readonly contact?: string;
  readonly reason?: string;
  readonly originCallSid?: string;
}

/** Fields of a Calls row to write (Airtable field names); the call log adds `Call SID` and `Bot Log`. */
export type CallRow = Readonly<Record<string, string | number>>;

/** How the paths appear in the call log (`Offered`, `Chosen`): the names of the line's switches. */
export const PATH_LABEL: Readonly<Record<Path, string>> = {
  'live-transfer': 'Live Transfer',
  'callback-now': 'Phone Callback',
  'callback-scheduled': 'Scheduled Callback',
  'text-link': 'Text Link',
  email: 'Email Contact',
  voicemail: 'Voicemail',
};

export function labelPaths(paths: readonly Path[]): string {
  return paths.map((p) => PATH_LABEL[p]).join(', ');
}

/**
 * The call log's `Outcome` of a live transfer (with the menu's own `No path available`, `No choice
 * made` and `Declined`, the whole vocabulary is listed in the README).
 */
export const TRANSFER_OUTCOMES = {
  transferring: 'Transferring',
  connected: 'Connected',
  referred: 'Referred',
  busy: 'Agent busy',
  noAnswer: 'No answer',
  failed: 'Transfer failed',
  notAccepted: 'Not accepted',
  callerHungUp: 'Caller hung up',
  // A ring group (issue 16) where every agent declined, missed or was a voicemail.
  noAgentAccepted: 'No agent accepted',
} as const;
export type TransferOutcome = (typeof TRANSFER_OUTCOMES)[keyof typeof TRANSFER_OUTCOMES];
