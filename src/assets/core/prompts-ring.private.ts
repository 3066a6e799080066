// What a ring group says (issue 16), apart from the main catalogue: to the caller between the legs of
// an In Order group and when nobody accepted, and to an agent who accepted too late. One catalogue per
// language, keyed by id, spoken through `utterRing` in the speaker's language and voice.
import type { Language } from './model.private';
import type { Speaker } from './prompts.private';
import type { Utterance } from './steps.private';

const enUS = {
  'ring.next': 'Still trying. Please hold.',
  'ring.none': 'Sorry, nobody was able to take your call just now.',
  'ring.taken': 'Someone else took this call. Thank you. Goodbye.',
  'ring.caller-gone': 'The caller is no longer waiting. Goodbye.',
  'ring.declined': 'Thank you. Goodbye.',
};

export type RingPromptId = keyof typeof enUS;

const esUS: Record<RingPromptId, string> = {
  'ring.next': 'Seguimos intentando. Espere un momento, por favor.',
  'ring.none': 'Lo sentimos, nadie pudo atender su llamada en este momento.',
  'ring.taken': 'Otra persona tomó esta llamada. Gracias. Adiós.',
  'ring.caller-gone': 'La persona que llamaba ya no está en espera. Adiós.',
  'ring.declined': 'Gracias. Adiós.',
};

const catalogues: Record<Language, Record<RingPromptId, string>> = { 'en-US': enUS, 'es-US': esUS };

/** Ring prompt `id` in the speaker's language and voice. */
export function utterRing(speaker: Speaker, id: RingPromptId): Utterance {
  return { text: catalogues[speaker.language][id], language: speaker.language, voice: speaker.voice };
}
