// Voice Intelligence transcripts of a call's recordings: the bridge's (transfer/) and a voicemail's
// (voicemail/). One transcript per recording, also when Twilio repeats the recording callback: this
// instance remembers what it asked for, and the service is asked before creating another. Which Calls
// field the transcript lands in is said by its `CustomerKey` (core/call-events).
import { twilioClientFor } from '../adapters/twilio-client.private';
import { transcriptChannel, transcriptKey, type TranscriptOf } from '../core/call-events.private';
import { callMemory } from './memory.private';
import type { WebhookRequest } from './request.private';

const MIN_TWILIO_TIMEOUT_MS = 200;
const SERVICE_SID = /^GA[0-9a-fA-F]{32}$/;

/** A Twilio client whose requests give up by the request's I/O deadline. */
export function twilioWithin(request: WebhookRequest) {
  return twilioClientFor(request.config, Math.max(MIN_TWILIO_TIMEOUT_MS, request.deadline - Date.now()));
}

/**
 * Creates the recording's transcript unless one exists for it; true when there is nothing to do or it
 * was asked for (with INTELLIGENCE_SERVICE_SID), false when Twilio refused or did not answer.
 */
export async function transcribeRecording(request: WebhookRequest, recording: { sid: string; callSid: string; channels: number; of: TranscriptOf }): Promise<boolean> {
  const { sid: recordingSid, callSid } = recording;
  const serviceSid = request.config.intelligenceServiceSid;
  const client = twilioWithin(request);
  const transcribing = callMemory.call(callSid, request.now.getTime()).transcribing;
  // A value that is not a service SID (e.g. "off") means no transcripts, not a request Twilio would refuse.
  if (!serviceSid || !SERVICE_SID.test(serviceSid) || !client || transcribing.has(recordingSid)) return true;
  transcribing.add(recordingSid);
  try {
    const existing = await client.intelligence.v2.transcripts.list({ serviceSid, sourceSid: recordingSid, limit: 1 });
    if (existing.length > 0) return true;
    const customerKey = transcriptKey(callSid, recording.of);
    await client.intelligence.v2.transcripts.create({ serviceSid, channel: transcriptChannel(recordingSid, recording.channels), customerKey });
    return true;
  } catch (error) {
    transcribing.delete(recordingSid);
    request.log.error('transcript-not-created', { callSid, recordingSid, error });
    return false;
  }
}
