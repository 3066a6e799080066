// The webhooks of a scheduled callback, after the number is confirmed (number entry redirects to
// /callback/schedule?number=…): ask for a time (speech, or keys for the next open times), read it
// back, book only on "yes", check the booking kept its place, then text the confirmation and the
// reminder (the once-only rule of the call's `Sent`, through the CallSession). Handlers load through
// the session, ask ./decisions and the core's slots, and return a Step.
import { isTransient } from '../adapters/airtable-requests.private';
import { bookingMessenger, type BookingMessenger } from '../adapters/booking-messenger.private';
import type { BookingsTable } from '../adapters/bookings-table.private';
import type { WebhookRequest } from '../call/request.private';
import type { CallSession } from '../call/session.private';
import { keepsItsPlace, settleDelayMs } from '../core/booking-rule.private';
import { decideAlreadyQueuedStep } from '../core/callback-timing.private';
import { unknownLineStep } from '../core/incoming.private';
import { yesNo } from '../core/intent.private';
import type { Line } from '../core/model.private';
import { toE164Shape } from '../core/phone.private';
import type { CallerFacts } from '../core/policy.private';
import { utter } from '../core/prompts.private';
import type { Booking, CallbackRow } from '../core/rows.private';
import { UNCONFIRMED, withEntry, sentOn, type SentEntry } from '../core/sent-ledger.private';
import { decideSlotOffer } from '../core/slot-offer.private';
import { bookedIn, openSlots, scheduleOf, slotAt, slotSettingsOf, slotStartingAt, type OpenSlot, type SlotQuery } from '../core/slots.private';
import { parseSpokenTime } from '../core/spoken-time.private';
import type { Step } from '../core/steps.private';
import * as decide from './decisions.private';
import type { ScheduleContext } from './decisions.private';

const PATH = 'callback-scheduled' as const;
const NEXT_SLOTS = 3;
const BOOKING_ID = /^rec[A-Za-z0-9]{14}$/;

interface Loaded {
  readonly line: Line;
  readonly caller: CallerFacts;
  readonly ctx: ScheduleContext;
  readonly table: BookingsTable;
  readonly query: SlotQuery;
  readonly open: OpenSlot[];
  readonly booked: Booking[];
  /** The number's open callback on the line, when asked for (`withOpenCallback`). */
  readonly existing?: CallbackRow;
}

type Load = { readonly ok: true; readonly loaded: Loaded } | { readonly ok: false; readonly step: Step };

function noted(call: CallSession, event: string, error: unknown): void {
  call.request.log.warn(event, { callSid: call.callSid, error });
}

/**
 * The line, the caller, the bookings and the open slots; or the Step that ends this path. With nothing
 * open the path ends, except for the recount (`anyOpen: false`), whose own booking may fill the last place.
 */
async function load(call: CallSession, { anyOpen = true, withOpenCallback = false } = {}): Promise<Load> {
  const { params, request } = call;
  const number = toE164Shape(params.number);
  const { line, caller } = await call.facts();
  if (!line) return { ok: false, step: unknownLineStep() };
  const table = call.bookings();
  if (!number || !call.isOffered(PATH, line, caller) || !table) return { ok: false, step: call.menuWithout(PATH, 'path-unavailable') };
  const schedule = scheduleOf(line, request.config.defaultTimezone);
  const ctx: ScheduleContext = { line, zone: schedule.zone, number, carry: call.carry() };
  let booked: Booking[];
  let existing: CallbackRow | undefined;
  try {
    ({ list: booked, open: existing } = await call.bookedOnLine(line.phoneNumber, { fresh: !anyOpen, ...(withOpenCallback ? { openFor: number } : {}) }));
  } catch (error) {
    noted(call, 'bookings-unavailable', error);
    return { ok: false, step: call.menuWithout(PATH, 'other-paths', [utter(ctx.line, 'schedule.failed')]) };
  }
  const query: SlotQuery = { schedule, settings: slotSettingsOf(line), booked: booked.map((b) => b.scheduledFor), now: request.now };
  const open = openSlots(query);
  if (anyOpen && open.length === 0) return { ok: false, step: call.menuWithout(PATH, 'other-paths', [utter(ctx.line, 'schedule.no-slots')]) };
  return { ok: true, loaded: { line, caller, ctx, table, query, open, booked, existing } };
}

const missOf = (call: CallSession): number => Math.min(Math.max(Number.parseInt(call.params.miss ?? '0', 10) || 0, 0), decide.MAX_MISSES);

/** POST /callback/schedule?number=… — the first question. */
export async function handleScheduleStart(call: CallSession): Promise<Step> {
  const loaded = await load(call, { withOpenCallback: true });
  if (!loaded.ok) return loaded.step;
  const { ctx, caller, open, line, existing } = loaded.loaded;
  if (!(await call.mayContact(ctx.number, caller))) return call.menuWithout(PATH, 'path-unavailable');
  // SPEC: one open callback per number and line (read with the bookings); a booked one can be moved by text (CHANGE).
  if (existing) {
    await call.saveCallRow({ Outcome: 'Callback already queued' });
    return decideAlreadyQueuedStep(line, existing, call.request.now, ctx.zone);
  }
  return decide.askStep(ctx, open.slice(0, NEXT_SLOTS), 0);
}

/** POST /callback/schedule/time — a key for one of the times read out, or a spoken time. */
export async function handleScheduleTime(call: CallSession): Promise<Step> {
  const loaded = await load(call);
  if (!loaded.ok) return loaded.step;
  const { ctx, query, open } = loaded.loaded;
  const { params } = call;
  const miss = missOf(call);
  const heard = decide.decodeSlots(params.heard);
  // A key, or its number said aloud ("two", "la segunda") when times were read out.
  const key = (params.Digits ?? '').replace(/\D/g, '') || String(heard.length > 0 ? (decide.spokenChoice(params.SpeechResult) ?? '') : '');

  if (!params.silence && key.length === 1 && Number(key) >= 1 && Number(key) <= heard.length) {
    const chosen = heard[Number(key) - 1];
    const slot = open.find((s) => s.start.getTime() === chosen.getTime());
    if (slot) return decide.confirmStep(ctx, slot, 0);
    return decide.pickStep(ctx, open.slice(0, NEXT_SLOTS), miss, [utter(ctx.line, 'schedule.taken'), utter(ctx.line, 'schedule.pick')]);
  }
  const spoken = params.silence ? undefined : parseSpokenTime(params.SpeechResult, ctx.line.language, query.schedule, call.request.now);
  if (spoken) {
    const offer = decideSlotOffer(spoken, query, open);
    if (offer.kind === 'slot') return decide.confirmStep(ctx, offer.slot, 0);
    if (offer.kind === 'alternatives') return decide.pickStep(ctx, offer.slots, miss, decide.unavailableIntro(ctx, offer.reason));
  }
  // Not understood (or silence): twice, then the next open times by key; never a loop.
  const misses = miss + 1;
  if (misses >= decide.MAX_MISSES) {
    await call.saveCallRow({ Outcome: 'No callback time chosen' });
    return decide.gaveUpStep(ctx);
  }
  if (misses >= decide.MISSES_BEFORE_KEYS) return decide.pickStep(ctx, open.slice(0, NEXT_SLOTS), misses, [utter(ctx.line, 'schedule.keys-only')]);
  const sorry = utter(ctx.line, params.silence ? 'menu.silence' : 'menu.no-match');
  return decide.askStep(ctx, open.slice(0, NEXT_SLOTS), misses, [sorry]);
}

/** POST /callback/schedule/confirm?slot=… — books only on yes. */
export async function handleScheduleConfirm(call: CallSession): Promise<Step> {
  const loaded = await load(call);
  if (!loaded.ok) return loaded.step;
  const { ctx, query, open, table, caller } = loaded.loaded;
  const { params, request } = call;
  const miss = missOf(call);
  const asked = slotStartingAt(query.schedule, query.settings.slotMinutes, new Date(Number(params.slot)));
  if (!asked) return decide.askStep(ctx, open.slice(0, NEXT_SLOTS), miss);

  const answer = params.silence ? undefined : yesNo({ digits: params.Digits, speech: params.SpeechResult, language: ctx.line.language });
  if (answer === 'no') return decide.askStep(ctx, open.slice(0, NEXT_SLOTS), 0, [utter(ctx.line, 'menu.declined')]);
  if (answer === undefined) {
    if (miss + 1 >= decide.MISSES_BEFORE_KEYS) return decide.askStep(ctx, open.slice(0, NEXT_SLOTS), miss + 1, [utter(ctx.line, 'menu.no-match')]);
    return decide.confirmStep(ctx, asked, miss + 1, [utter(ctx.line, params.silence ? 'menu.silence' : 'menu.no-match')]);
  }
  if (!open.some((s) => s.start.getTime() === asked.start.getTime())) {
    const next = open.find((s) => s.start > asked.start) ?? open[0];
    return decide.confirmStep(ctx, next, 0, [utter(ctx.line, 'schedule.taken')]);
  }
  try {
    const booking = await table.create(
      {
        line: ctx.line.phoneNumber,
        phone: ctx.number,
        scheduledFor: asked.start,
        contact: caller.contact?.name ?? caller.contact?.id,
        reason: params.Reason,
        originCallSid: params.CallSid,
      },
      request.deadline,
    );
    return decide.bookingStep(ctx, booking.id, asked.start, Date.now());
  } catch (error) {
    noted(call, 'booking-write-failed', error);
    // A timeout or a server error may come after Airtable wrote the row: the recount (a new webhook,
    // with its own time) looks for this call's booking of this slot before the caller hears anything.
    if (isTransient(error)) return decide.bookingStep(ctx, undefined, asked.start, Date.now());
    await call.saveCallRow({ Outcome: 'Callback booking failed' });
    return call.menuWithout(PATH, 'other-paths', [utter(ctx.line, 'schedule.failed')]);
  }
}

/** POST /callback/schedule/check?booking=…&createdAt=… — the recount: kept → confirmed and texted; else the next slot. */
export async function handleScheduleCheck(call: CallSession): Promise<Step> {
  const { params, request } = call;
  const createdAt = Number(params.createdAt);
  if (Number.isFinite(createdAt)) await new Promise((resolve) => setTimeout(resolve, settleDelayMs(createdAt, Date.now())));
  const loaded = await load(call, { anyOpen: false });
  if (!loaded.ok) return loaded.step;
  const { ctx, query, table, booked, line } = loaded.loaded;
  const mine = params.booking
    ? BOOKING_ID.test(params.booking) ? booked.find((b) => b.id === params.booking) : undefined
    : booked.find((b) => b.originCallSid === params.CallSid && b.scheduledFor.getTime() === Number(params.slot));
  const slot = mine && slotAt(query.schedule, query.settings.slotMinutes, mine.scheduledFor);
  if (!mine || !slot) {
    request.log.warn('booking-missing', { callSid: params.CallSid });
    return call.menuWithout(PATH, 'other-paths', [utter(ctx.line, 'schedule.failed')]);
  }
  const inSlot = booked.filter((b) => bookedIn(slot, [b.scheduledFor]) === 1);
  if (!keepsItsPlace(mine, inSlot, query.settings.capacity)) {
    // Withdraw: a later booking past capacity; the caller is offered the next open slot instead.
    try {
      await table.setStatus(mine.id, 'Cancelled', request.deadline);
    } catch (error) {
      request.log.error('withdraw-failed', { callSid: params.CallSid, booking: mine.id, error });
    }
    const others = booked.filter((b) => b.id !== mine.id).map((b) => b.scheduledFor);
    const open = openSlots({ ...query, booked: others });
    const next = open.find((s) => s.start > slot.start) ?? open[0];
    if (!next) return call.menuWithout(PATH, 'other-paths', [utter(ctx.line, 'schedule.taken'), utter(ctx.line, 'schedule.no-slots')]);
    return decide.confirmStep(ctx, next, 0, [utter(ctx.line, 'schedule.taken')]);
  }
  const texted = await textBookingOnce(call, line, mine, table);
  return decide.bookedStep(ctx, mine.scheduledFor, texted);
}

/**
 * The booking's texts, once per call even when Twilio repeats the recount webhook: the call's `Sent`
 * ledger (the text path's once-only mechanism) says whether they went. Records the outcome and what
 * was sent (SIDs and statuses, never bodies or numbers) on the Calls row. True when the caller may be
 * told a confirmation text went.
 */
async function textBookingOnce(call: CallSession, line: Line, booking: Booking, table: BookingsTable): Promise<boolean> {
  const outcome = { Outcome: `Callback booked for ${booking.scheduledFor.toISOString()}` };
  const ledger = await call.ledger();
  // The same recount running on this instance right now sends and records; this one promises nothing.
  const once = await call.sendOnce('Text', ledger, async (entries) => {
    const earlier = sentOn(entries, 'Text');
    if (earlier) return { result: earlier.id !== UNCONFIRMED, record: { fields: outcome } };
    const texts = await sendBookingTexts(call.request, line, booking, table);
    const sent = [
      ...(texts.confirmation ? [{ channel: 'Text', id: texts.confirmation, status: 'queued' } as const] : []),
      ...(texts.reminder ? [{ channel: 'Text', id: texts.reminder, status: 'scheduled' } as const] : []),
    ].reduce<SentEntry[]>(withEntry, [...entries]);
    return { result: Boolean(texts.confirmation), record: { entries: sent, fields: outcome } };
  });
  return once.claimed && once.result;
}

/**
 * The confirmation now, from the line's number, and the reminder: scheduled on the Messaging Service
 * (its SID kept in `Reminder SID`) when there is one, else left to the dispatcher. A text that fails
 * never undoes the booking; the caller is only told a text was sent when it was.
 */
export async function sendBookingTexts(
  request: WebhookRequest,
  line: Line,
  booking: Booking,
  table: BookingsTable,
): Promise<{ readonly confirmation?: string; readonly reminder?: string }> {
  const messenger = bookingMessenger(request.config, Math.max(request.deadline - Date.now(), 250));
  if (!messenger) return {};
  const confirmation = messenger.send(line.phoneNumber, booking.phone, decide.bookingText('confirmation', line, booking.scheduledFor), booking.originCallSid);
  const [sent, reminder] = await Promise.allSettled([confirmation, scheduleReminder(request, line, booking, table, messenger)]);
  if (sent.status === 'rejected') request.log.warn('confirmation-text-failed', { callSid: request.params.CallSid, error: sent.reason });
  return {
    confirmation: sent.status === 'fulfilled' ? sent.value : undefined,
    reminder: reminder.status === 'fulfilled' ? reminder.value : undefined,
  };
}

/**
 * Schedules the booking's reminder with Twilio when it can (Messaging Service set, 15 minutes to 35 days
 * ahead) and keeps its SID on the row. Otherwise nothing is done here: the dispatcher sends reminders of
 * Booked rows without a `Reminder SID` (see isReminderDueByDispatcher). Never throws.
 */
export async function scheduleReminder(
  request: WebhookRequest,
  line: Line,
  booking: Booking,
  table: BookingsTable,
  messenger: BookingMessenger,
): Promise<string | undefined> {
  const plan = decide.decideReminder(booking.scheduledFor, request.now, messenger.canSchedule);
  if (plan.kind !== 'twilio-schedule') return undefined;
  try {
    const sid = await messenger.schedule(booking.phone, decide.bookingText('reminder', line, booking.scheduledFor), plan.sendAt, booking.originCallSid);
    try {
      await table.setReminderSid(booking.id, sid, request.deadline);
    } catch (error) {
      // A row without its Reminder SID gets its reminder from the dispatcher: never two reminders.
      await messenger.cancelScheduled(sid).catch((cancelError: unknown) => request.log.error('reminder-orphaned', { sid, error: cancelError }));
      throw error;
    }
    return sid;
  } catch (error) {
    request.log.warn('reminder-failed', { callSid: request.params.CallSid, error });
    return undefined;
  }
}

/** Cancels a booking's scheduled reminder, if it has one. Never throws: the dispatcher skips cancelled rows anyway. */
export async function cancelReminder(request: WebhookRequest, booking: Booking, messenger: BookingMessenger | undefined): Promise<void> {
  // Only a message SID: the dispatcher's in-flight mark ("reminder:…") is no Twilio message.
  if (!booking.reminderSid || !/^(SM|MM)[0-9a-fA-F]{32}$/.test(booking.reminderSid) || !messenger) return;
  try {
    await messenger.cancelScheduled(booking.reminderSid);
  } catch (error) {
    request.log.warn('reminder-cancel-failed', { booking: booking.id, error });
  }
}
