// What the caller meant, from speech and keys. Pure, English always, Spanish too on es-US lines.
//
// Choices made (and tested):
// - Key 0 asks for a person; for yes/no prompts 1 = yes, 2 = no.
// - A request is ignored when negated in the same clause ("I don't need an agent", "no agent
//   please", "no quiero un agente"). A new clause or a new subject ends the negation:
//   "No, I want an agent" and "no I want an agent" both ask for a person.
// - Definition questions ("what's an agent?", "¿qué es un agente?") do not trigger; other
//   questions do ("can I talk to an agent?").
// - Other kinds of agents ("travel agent", "insurance agent", "agente de seguros") and
//   "human resources" do not trigger; "agenda", "agency" and "personal" never match (whole words only).

import type { Language } from './model.private';

export interface Utterance {
  /** Twilio's SpeechResult. */
  readonly speech?: string;
  /** Twilio's Digits. */
  readonly digits?: string;
  /** The line's language: Spanish phrases count only on es-US lines. */
  readonly language: Language;
}

export type YesNo = 'yes' | 'no';

const PERSON_PHRASES_EN: readonly RegExp[] = [
  /\bagents?\b/g,
  /\b(?:representatives?|representive|reps?)\b/g,
  /\boperators?\b/g,
  /\bhumans?\b(?! resources)/g,
  /\b(?:a|an|real|live|actual) (?:(?:real|live|actual) )?(?:person|people)\b/g,
  /\b(?:customer|client) (?:service|support|care)\b/g,
  /\b(?:speak|talk|chat) (?:to|with) (?:(?:a|the|your) )?(?:someone|somebody|anyone|anybody|manager|supervisor)\b/g,
  /\btransfer me\b/g,
];

const PERSON_PHRASES_ES: readonly RegExp[] = [
  /\bagentes?\b(?! de (?:viajes?|seguros?|bienes))/g,
  /\brepresentantes?\b/g,
  /\boperador(?:a|es|as)?\b/g,
  /\b(?:una|alguna) persona\b/g,
  /\bpersonas? (?:reales?|de verdad|humanas?|vivas?)\b/g,
  /\bhuman[oa]s?\b/g,
  /\b(?:servicio|atencion) al cliente\b/g,
  /\b(?:hablar|hablo|platicar|conversar|comunicarme) con (?:alguien|(?:el|un) (?:gerente|supervisor))\b/g,
];

// Words that make "agent" another kind of agent.
const OTHER_AGENTS = new Set(['travel', 'insurance', 'estate', 'secret', 'fbi', 'border', 'free', 'double', 'user']);
const NEGATORS = new Set(['no', 'not', 'dont', 'doesnt', 'didnt', 'never', 'without', 'nunca', 'sin', 'tampoco']);
// A new subject or a contrast starts a new thought: "no I want an agent", "not now but an agent".
const SCOPE_BREAKERS = new Set(['i', 'im', 'yo', 'but', 'pero', 'just', 'only', 'solo', 'sino', 'instead', 'rather']);
// A second "want" starts a new request: "no quiero esperar quiero un agente".
const REQUEST_VERBS = new Set(['want', 'wanna', 'need', 'like', 'quiero', 'necesito', 'quisiera', 'prefiero']);
const NEGATION_REACH = 6;

/** Does the caller ask for a live person? Key 0, or a phrase from the tables above. */
export function asksForPerson(input: Utterance): boolean {
  if (compactDigits(input.digits) === '0') return true;
  const phrases = input.language === 'es-US' ? [...PERSON_PHRASES_EN, ...PERSON_PHRASES_ES] : PERSON_PHRASES_EN;
  return clausesOf(input.speech).some((clause) =>
    phrases.some((pattern) =>
      [...clause.matchAll(pattern)].some((m) => {
        const before = clause.slice(0, m.index).split(' ').filter(Boolean);
        return !isNegated(before) && !isDefinitionQuestion(before) && !OTHER_AGENTS.has(before[before.length - 1]);
      }),
    ),
  );
}

const YES_EN = [
  'yes', 'yeah', 'yea', 'yep', 'yup', 'sure', 'ok', 'okay', 'correct', 'right', 'absolutely', 'definitely',
  'certainly', 'affirmative', 'of course', 'go ahead', 'please do', 'sounds good', 'that works', 'uh huh',
  'why not', 'no problem',
];
const NO_EN = [
  'no', 'nope', 'nah', 'negative', 'incorrect', 'wrong', 'not right', 'not correct', 'not really', 'not now',
  'not okay', 'not ok', 'of course not',
];
const YES_ES = ['si', 'claro', 'correcto', 'esta bien', 'de acuerdo', 'vale', 'dale', 'exacto', 'asi es', 'afirmativo', 'por supuesto'];
const NO_ES = ['no', 'incorrecto', 'negativo', 'para nada'];

/**
 * The answer to a yes/no prompt: keys 1 and 2, or speech. Mixed or unrecognised answers
 * ("yes... no", "I don't know") are undefined, so the menu asks again.
 */
export function yesNo(input: Utterance): YesNo | undefined {
  const digits = compactDigits(input.digits);
  if (digits !== '') return digits === '1' ? 'yes' : digits === '2' ? 'no' : undefined;

  let text = ` ${clausesOf(input.speech).join(' ')} `;
  if (text.trim() === '1') return 'yes'; // the recogniser sometimes writes a spoken "one" as a digit
  if (text.trim() === '2') return 'no';
  const spanish = input.language === 'es-US';
  const phrases = [
    ...YES_EN.map((p) => [p, 'yes'] as const),
    ...NO_EN.map((p) => [p, 'no'] as const),
    ...(spanish ? YES_ES.map((p) => [p, 'yes'] as const) : []),
    ...(spanish ? NO_ES.map((p) => [p, 'no'] as const) : []),
  ].sort((a, b) => b[0].length - a[0].length); // "not right" and "no problem" before "right" and "no"

  const heard = new Set<YesNo>();
  for (const [phrase, answer] of phrases) {
    const pattern = new RegExp(`\\b${phrase}\\b`, 'g');
    if (pattern.test(text)) {
      heard.add(answer);
      text = text.replace(pattern, ' ');
    }
  }
  return heard.size === 1 ? [...heard][0] : undefined;
}

/** Lower case, no accents or apostrophes, split into clauses at punctuation, words single-spaced. */
function clausesOf(speech: string | undefined): string[] {
  return (speech ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2019`]/g, '')
    .split(/[.,;:!?¿¡()"…\n]+/)
    .map((clause) => clause.replace(/[^a-z0-9]+/g, ' ').trim())
    .filter(Boolean);
}

function isNegated(before: readonly string[]): boolean {
  let sawRequest = false;
  for (let i = before.length - 1; i >= 0 && before.length - i <= NEGATION_REACH; i--) {
    const word = before[i];
    if (NEGATORS.has(word)) return true;
    if (SCOPE_BREAKERS.has(word)) return false;
    if (REQUEST_VERBS.has(word)) {
      if (sawRequest) return false;
      sawRequest = true;
    }
  }
  return false;
}

function isDefinitionQuestion(before: readonly string[]): boolean {
  return /(?:^| )(?:what is|whats|what does|que es|que significa)(?: (?:a|an|the|un|una))?$/.test(before.join(' '));
}

function compactDigits(digits: string | undefined): string {
  return (digits ?? '').replace(/[\s#*]/g, '');
}
