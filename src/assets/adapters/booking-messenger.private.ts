// The texts of a booking through Twilio's Messages API (the real twilio client): the confirmation from
// the line's number, the reminder scheduled on the Messaging Service, and cancelling that reminder.
// Creates are sent once, never retried (a text must never go twice).
import type { Config } from '../core/model.private';
import { messageStatusUrl } from '../core/urls.private';
import { twilioClientFor } from './twilio-client.private';

export interface BookingMessenger {
  /**
   * Sends a text now from `from` (the line's number); returns its SID. With the booking's call
   * (`callSid`), its delivery is reported to /events/message-status like every text of a call.
   */
  send(from: string, to: string, body: string, callSid?: string): Promise<string>;
  /** Schedules a text on the Messaging Service for `sendAt` (15 minutes to 35 days ahead); returns its SID. */
  schedule(to: string, body: string, sendAt: Date, callSid?: string): Promise<string>;
  /** Cancels a scheduled text (Status=canceled). */
  cancelScheduled(sid: string): Promise<void>;
  readonly canSchedule: boolean;
}

export function bookingMessenger(config: Config, timeoutMs: number): BookingMessenger | undefined {
  const client = twilioClientFor(config, timeoutMs);
  if (!client) return undefined;
  const { messagingServiceSid } = config;
  const reported = (callSid: string | undefined) => {
    const statusCallback = messageStatusUrl(config, callSid);
    return statusCallback ? { statusCallback } : {};
  };
  return {
    canSchedule: Boolean(messagingServiceSid),
    async send(from, to, body, callSid) {
      return (await client.messages.create({ from, to, body, ...reported(callSid) })).sid;
    },
    async schedule(to, body, sendAt, callSid) {
      if (!messagingServiceSid) throw new Error('MESSAGING_SERVICE_SID is not set');
      return (await client.messages.create({ messagingServiceSid, to, body, scheduleType: 'fixed', sendAt, ...reported(callSid) })).sid;
    },
    async cancelScheduled(sid) {
      await client.messages(sid).update({ status: 'canceled' });
    },
  };
}
