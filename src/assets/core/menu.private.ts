// The escalation menu as pure decisions: what to say for the paths on offer, and what the caller's
// answer means. One path is a yes/no question; several are "press 1 or say ..."; 9 repeats; two
// re-prompts on silence or no match, then a polite end.
import type { Contact, Language, Line, Path } from './model.private';
import { prompt, utter, type PromptId } from './prompts.private';
import { stepUrl } from './urls.private';
import type { Step, Utterance } from './steps.private';
import { yesNo } from './intent.private';

/** Re-prompts after silence or an answer that matches nothing, before the polite end. */
export const MAX_MENU_REPROMPTS = 2;
export const REPEAT_KEY = '9';

const OPTION_PROMPT: Record<Path, PromptId> = {
  'live-transfer': 'menu.option.live-transfer',
  'callback-now': 'menu.option.callback-now',
  'callback-scheduled': 'menu.option.callback-scheduled',
  'text-link': 'menu.option.text-link',
  email: 'menu.option.email',
  voicemail: 'menu.option.voicemail',
};
const QUESTION_PROMPT: Record<Path, PromptId> = {
  'live-transfer': 'menu.question.live-transfer',
  'callback-now': 'menu.question.callback-now',
  'callback-scheduled': 'menu.question.callback-scheduled',
  'text-link': 'menu.question.text-link',
  email: 'menu.question.email',
  voicemail: 'menu.question.voicemail',
};

// Words that pick a path by speech. Checked in this order, so "call me back later" is a scheduled
// callback before it is an immediate one.
const PATH_WORDS: readonly (readonly [Path, RegExp])[] = [
  ['callback-scheduled', /\b(schedul\w*|later|tomorrow|appointment|another time|programar|mas tarde|manana|cita|otro momento)\b/],
  ['callback-now', /\b(call ?back|call me|ring me|phone me|llamada|llamen|llamenme|devolver|regresar la llamada)\b/],
  // Before text: "say message" leaves one; "text message" is still a text.
  ['voicemail', /\b(voice ?mail|(?<!text )message|leave a message|buzon|buzon de voz|recado|mensaje de voz|dejar un mensaje)\b/],
  ['text-link', /\b(text|sms|message|link|texto|mensaje|enlace)\b/],
  ['email', /\b(e ?mail|correo|electronico)\b/],
  ['live-transfer', /\b(agent|person|human|representative|operator|someone|somebody|transfer|connect|now|agente|persona|humano|representante|operador|operadora|ahora)\b/],
];
const ORDINALS: Record<string, number> = {
  one: 1, first: 1, uno: 1, primero: 1, primera: 1,
  two: 2, second: 2, dos: 2, segundo: 2, segunda: 2,
  three: 3, third: 3, tres: 3, tercero: 3, tercera: 3,
  four: 4, fourth: 4, cuatro: 4, cuarto: 4, cuarta: 4,
  five: 5, fifth: 5, cinco: 5, quinto: 5, quinta: 5,
  six: 6, sixth: 6, seis: 6, sexto: 6, sexta: 6,
};
const REPEAT_WORDS = /\b(repeat|again|what|options|menu|repetir|repita|otra vez|opciones)\b/;

/** Lower case, no accents, no punctuation: how speech is compared. */
function normalise(speech: string): string {
  return speech
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Why the menu comes again, carried in `/escalate?after=`: `path-unavailable` for a path not built or
 * not possible any more; `other-paths` after a path failed and its own apology was already said.
 */
export const MENU_AFTER = ['silence', 'no-match', 'repeat', 'path-unavailable', 'other-paths'] as const;
export type MenuAfter = (typeof MENU_AFTER)[number];

export interface MenuInput {
  readonly line: Line;
  readonly offered: readonly Path[];
  /** 0 the first time; counts re-prompts after silence or no match. */
  readonly attempt: number;
  readonly contact?: Contact;
  /** Why the menu is asked again, if it is. */
  readonly after?: MenuAfter;
  /** Query string carried to the choice step (Reason, Line…), already encoded. */
  readonly carry: string;
  /** Outside business hours: when an immediate callback would come ("Monday at 9 AM"), said honestly. */
  readonly callbackWhen?: string;
}

export function firstName(contact: Contact | undefined): string | undefined {
  return contact?.name?.trim().split(/\s+/)[0] || undefined;
}

/** Spoken digit by digit, in groups, so a support number can be written down. */
export function speakableNumber(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  const groups = national.length === 10 ? [national.slice(0, 3), national.slice(3, 6), national.slice(6)] : [national];
  return groups.map((g) => g.split('').join(' ')).join(', ');
}

export function decideMenu({ line, offered, attempt, contact, after, carry, callbackWhen }: MenuInput): Step {
  const { language } = line;
  const say = (id: PromptId, vars?: Record<string, string>) => utter(line, id, vars);
  if (offered.length === 0) {
    const lines = [say('menu.none')];
    if (line.supportNumber) lines.push(say('menu.none.support-number', { number: speakableNumber(line.supportNumber) }));
    lines.push(say('goodbye'));
    return { kind: 'say-and-hangup', say: lines };
  }
  const intro: Utterance[] = [];
  const name = firstName(contact);
  if (attempt === 0 && !after && name) intro.push(say('menu.hello-known', { name }));
  if (after === 'silence' || after === 'no-match') intro.push(say(after === 'silence' ? 'menu.silence' : 'menu.no-match'));
  if (after === 'path-unavailable') intro.push(say('menu.path-unavailable'));
  if (after === 'other-paths') intro.push(say('menu.other-paths'));

  // Closed: an immediate callback comes at the opening, and the menu says so.
  const optionPrompt = (path: Path): PromptId => (path === 'callback-now' && callbackWhen ? 'menu.option.callback-when-open' : OPTION_PROMPT[path]);
  const questionPrompt = (path: Path): PromptId => (path === 'callback-now' && callbackWhen ? 'menu.question.callback-when-open' : QUESTION_PROMPT[path]);
  const options =
    offered.length === 1
      ? [say(questionPrompt(offered[0]), { when: callbackWhen ?? '' })]
      : [
          ...offered.map((path, i) => say(optionPrompt(path), { key: String(i + 1), when: callbackWhen ?? '' })),
          say('menu.repeat', { key: REPEAT_KEY }),
        ];
  const query = `offered=${offered.join(',')}&attempt=${attempt}`;
  return {
    kind: 'gather',
    prompt: [...intro, ...options],
    action: stepUrl('/escalate/choice', query, carry),
    onSilence: stepUrl('/escalate/choice', query, carry, { silence: '1' }),
    language,
    numDigits: 1,
    hints: menuHints(language, offered),
  };
}

function menuHints(language: Language, offered: readonly Path[]): string[] {
  if (offered.length === 1) return language === 'es-US' ? ['sí', 'no'] : ['yes', 'no'];
  return offered.map((path) => prompt(language, `menu.hint.${path}` as PromptId));
}

export type MenuAnswer =
  | { readonly kind: 'chosen'; readonly path: Path }
  | { readonly kind: 'declined' }
  | { readonly kind: 'repeat' }
  | { readonly kind: 'no-match' }
  | { readonly kind: 'silence' };

/** What the caller's keys or words mean, given what was offered. */
export function readMenuAnswer(offered: readonly Path[], digits: string | undefined, speech: string | undefined, language: Language): MenuAnswer {
  const keys = (digits ?? '').replace(/[^0-9*#]/g, '');
  const words = normalise(speech ?? '');
  if (!keys && !words) return { kind: 'silence' };
  if (keys === REPEAT_KEY || (!keys && REPEAT_WORDS.test(words))) return { kind: 'repeat' };

  if (offered.length === 1) {
    const answer = yesNo({ digits: keys || undefined, speech: words || undefined, language });
    if (answer === 'yes') return { kind: 'chosen', path: offered[0] };
    if (answer === 'no') return { kind: 'declined' };
  }
  if (keys) {
    const index = Number(keys) - 1;
    return keys.length === 1 && index >= 0 && index < offered.length ? { kind: 'chosen', path: offered[index] } : { kind: 'no-match' };
  }
  for (const word of words.split(' ')) {
    const ordinal = ORDINALS[word];
    if (ordinal && ordinal <= offered.length) return { kind: 'chosen', path: offered[ordinal - 1] };
  }
  const spoken = PATH_WORDS.find(([path, pattern]) => offered.includes(path) && pattern.test(words));
  return spoken ? { kind: 'chosen', path: spoken[0] } : { kind: 'no-match' };
}

/** The end of a menu the caller could not or would not use. */
export function decideMenuEnd(line: Line, reason: 'declined' | 'gave-up'): Step {
  const id: PromptId = reason === 'declined' ? 'menu.declined' : 'menu.gave-up';
  return { kind: 'say-and-hangup', say: [utter(line, id), utter(line, 'goodbye')] };
}
