// The texts of a booking through Twilio's Messages API (the real twilio client): the confirmation from
// the line's number, the reminder scheduled on the Messaging Service, and cancelling that reminder.
// Creates are sent once, never retried (a text must never go twice).
import { twilioClientFor } from '../adapters/twilio-client.private';
import type { Config } from '../shell/config.private';

export interface BookingMessenger {
  /** Sends a text now from `from` (the line's number); returns its SID. */
  send(from: string, to: string, body: string): Promise<string>;
  /** Schedules a text on the Messaging Service for `sendAt` (15 minutes to 35 days ahead); returns its SID. */
  schedule(to: string, body: string, sendAt: Date): Promise<string>;
  /** Cancels a scheduled text (Status=canceled). */
  cancelScheduled(sid: string): Promise<void>;
  readonly canSchedule: boolean;
}

export function bookingMessenger(config: Config, timeoutMs: number): BookingMessenger | undefined {
  const client = twilioClientFor(config, timeoutMs);
  if (!client) return undefined;
  const { messagingServiceSid } = config;
  return {
    canSchedule: Boolean(messagingServiceSid),
    async send(from, to, body) {
      return (await client.messages.create({ from, to, body })).sid;
    },
    async schedule(to, body, sendAt) {
      if (!messagingServiceSid) throw new Error('MESSAGING_SERVICE_SID is not set');
      return (await client.messages.create({ messagingServiceSid, to, body, scheduleType: 'fixed', sendAt })).sid;
    },
    async cancelScheduled(sid) {
      await client.messages(sid).update({ status: 'canceled' });
    },
  };
}
