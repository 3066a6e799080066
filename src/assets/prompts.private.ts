// Everything the bot says, one catalogue per language, keyed by id. Raw error text is never spoken.
import type { Language } from './model.private';

type Vars = Readonly<Record<string, string>>;
type Prompt = string | ((vars: Vars) => string);

const enUS = {
  'greeting.default': 'Thanks for calling. How can I help you today?',
  'line.unknown': 'Sorry, this number is not set up to take calls yet. Please try again later. Goodbye.',
  'listen.again': 'Sorry, I did not catch that. You can say agent, or press 0, to reach a person.',
  'trouble.connecting': 'Sorry, we are having technical trouble. Please hold while I connect you to someone who can help.',
  'trouble.goodbye': 'Sorry, we are having technical trouble and cannot help right now. Please call again later. Goodbye.',
  'transfer.unanswered': 'Sorry, nobody could take your call right now. Please call again later. Goodbye.',
  goodbye: 'Thank you for calling. Goodbye.',
} satisfies Record<string, Prompt>;

export type PromptId = keyof typeof enUS;

const esUS: Record<PromptId, Prompt> = {
  'greeting.default': 'Gracias por llamar. ¿En qué le puedo ayudar?',
  'line.unknown': 'Lo sentimos, este número todavía no está configurado para recibir llamadas. Inténtelo más tarde. Adiós.',
  'listen.again': 'Perdón, no le entendí. Puede decir agente, o marcar 0, para hablar con una persona.',
  'trouble.connecting': 'Lo sentimos, tenemos problemas técnicos. Espere un momento mientras le comunico con alguien que le pueda ayudar.',
  'trouble.goodbye': 'Lo sentimos, tenemos problemas técnicos y no podemos atenderle ahora. Llame más tarde, por favor. Adiós.',
  'transfer.unanswered': 'Lo sentimos, nadie pudo atender su llamada en este momento. Llame más tarde, por favor. Adiós.',
  goodbye: 'Gracias por llamar. Adiós.',
};

const catalogues: Record<Language, Record<PromptId, Prompt>> = { 'en-US': enUS, 'es-US': esUS };

export function prompt(language: Language, id: PromptId, vars: Vars = {}): string {
  const entry = catalogues[language][id];
  return typeof entry === 'function' ? entry(vars) : entry;
}
