// What the events after a transfer mean for the call log, as pure decisions: the number's status
// callback, the recording callback, and a finished Voice Intelligence transcript.
import { isCallSid } from './model.private';
import { TRANSFER_OUTCOMES } from './rows.private';

/** Statuses after which a call is over (Twilio's final CallStatus values). */
const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
/** Airtable's long text holds 100,000 characters; a transcript is cut well before. */
export const MAX_TRANSCRIPT_LENGTH = 50_000;
export const MAX_NOTES_LENGTH = 5_000;
/** Wrap-up notes without a summary operator: the first sentences of the call. */
export const NOTES_FALLBACK_SENTENCES = 3;

export const RECORDING_SID = /^RE[0-9a-fA-F]{32}$/;
export const TRANSCRIPT_SID = /^GT[0-9a-fA-F]{32}$/;

/**
 * The fields a final call status adds to an existing Calls row: `Duration`, and `Outcome` when the
 * caller hung up before the transfer said how it ended (the row still says `Transferring`). Whatever
 * arrived first, a final outcome is never replaced.
 */
export function callStatusFields(status: string | undefined, callDuration: string | undefined, currentOutcome: unknown): Record<string, string | number> | undefined {
  if (!status || !FINAL_CALL_STATUSES.has(status)) return undefined;
  const fields: Record<string, string | number> = {};
  const seconds = Number(callDuration);
  if (callDuration && Number.isInteger(seconds) && seconds >= 0) fields.Duration = seconds;
  if (currentOutcome === TRANSFER_OUTCOMES.transferring) fields.Outcome = TRANSFER_OUTCOMES.callerHungUp;
  return fields;
}

/** The Voice Intelligence `Channel` of a Dial recording: the caller on channel 1, the agent on 2 (dual); a mono recording has one channel for both. */
export function transcriptChannel(recordingSid: string, channels: number): Record<string, unknown> {
  const media = { source_sid: recordingSid };
  if (channels !== 2) return { media_properties: media };
  return {
    media_properties: media,
    participants: [
      { channel_participant: 1, role: 'Customer', full_name: 'Caller' },
      { channel_participant: 2, role: 'Agent', full_name: 'Agent' },
    ],
  };
}

/** What a transcript is of: the bridge's recording (`Transcript`) or a voicemail (`Voicemail Transcript`). */
export type TranscriptOf = 'call' | 'voicemail';
const VOICEMAIL_KEY = 'voicemail:';

/** The transcript's `CustomerKey`: the call SID, with a prefix for a voicemail. */
export function transcriptKey(callSid: string, of: TranscriptOf): string {
  return of === 'voicemail' ? `${VOICEMAIL_KEY}${callSid}` : callSid;
}

/** The call and the kind of recording a `CustomerKey` names; undefined when it names no call. */
export function readTranscriptKey(key: string | null | undefined): { readonly callSid: string; readonly of: TranscriptOf } | undefined {
  const of: TranscriptOf = key?.startsWith(VOICEMAIL_KEY) ? 'voicemail' : 'call';
  const callSid = of === 'voicemail' ? key!.slice(VOICEMAIL_KEY.length) : key;
  return isCallSid(callSid ?? undefined) ? { callSid: callSid!, of } : undefined;
}

/** A voicemail's words as the caller said them, one sentence after another (one speaker, no labels). */
export function voicemailText(sentences: readonly Sentence[]): string {
  return sentences.map((s) => s.text.trim()).filter(Boolean).join(' ').slice(0, MAX_TRANSCRIPT_LENGTH);
}

/** The first sentence of a voicemail transcript, for the agent's whisper (cut, so the whisper stays short). */
export function firstSentence(transcript: string | undefined, maxLength = 200): string | undefined {
  const text = transcript?.trim();
  if (!text) return undefined;
  const sentence = /^.+?[.!?](?=\s|$)/s.exec(text)?.[0] ?? text;
  return sentence.length > maxLength ? `${sentence.slice(0, maxLength).replace(/\s+\S*$/, '')}…` : sentence;
}

export interface Sentence {
  readonly mediaChannel: number;
  readonly text: string;
}

/** Channel number → speaker label, from the transcript's own participants (what we created it with). */
export function speakersOf(channel: unknown): Map<number, string> {
  const speakers = new Map<number, string>();
  const participants = (channel as { participants?: unknown } | null)?.participants;
  if (!Array.isArray(participants)) return speakers;
  for (const p of participants as Record<string, unknown>[]) {
    const number = Number(p?.channel_participant);
    const role = String(p?.role ?? '').toLowerCase();
    if (!Number.isInteger(number)) continue;
    speakers.set(number, role === 'agent' ? 'Agent' : role === 'customer' ? 'Caller' : String(p.full_name ?? `Speaker ${number}`));
  }
  return speakers;
}

/** "Caller: …" / "Agent: …", one line a sentence; "Speaker:" when the recording did not separate them. */
export function transcriptText(sentences: readonly Sentence[], speakers: ReadonlyMap<number, string>): string {
  const lines = sentences.map((s) => `${speakers.get(s.mediaChannel) ?? 'Speaker'}: ${s.text.trim()}`);
  return lines.join('\n').slice(0, MAX_TRANSCRIPT_LENGTH);
}

/** The summary operator's text, else the first sentences of the call. */
export function wrapUpNotes(summaries: readonly string[], sentences: readonly Sentence[]): string {
  const summary = summaries.map((s) => s.trim()).filter(Boolean).join('\n\n');
  const notes = summary || sentences.slice(0, NOTES_FALLBACK_SENTENCES).map((s) => s.text.trim()).join(' ');
  return notes.slice(0, MAX_NOTES_LENGTH);
}

/** The text of a text-generation operator result (e.g. a call summary), if it is one. */
export function summaryOf(result: { readonly textGenerationResults?: unknown }): string | undefined {
  const generated = result.textGenerationResults as { result?: unknown } | null | undefined;
  return typeof generated?.result === 'string' ? generated.result : undefined;
}
