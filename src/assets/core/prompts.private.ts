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
  'menu.hello-known': ({ name }) => `Hi ${name}.`,
  'menu.none': 'I am sorry, none of our ways to reach a person are available right now.',
  'menu.none.support-number': ({ number }) => `You can call our support line at ${number}.`,
  'menu.silence': 'Sorry, I did not hear anything.',
  'menu.no-match': 'Sorry, I did not understand that.',
  'menu.path-unavailable': 'Sorry, that option is not available yet. Here is what I can do.',
  'menu.other-paths': 'Here is what else I can do.',
  'menu.option.live-transfer': ({ key }) => `To talk to a person now, press ${key} or say agent.`,
  'menu.option.callback-now': ({ key }) => `To get a call back right away, press ${key} or say call me back.`,
  'menu.option.callback-scheduled': ({ key }) => `To schedule a call back for later, press ${key} or say schedule.`,
  'menu.option.callback-when-open': ({ key, when }) => `We are closed now. To get a call back when we open, ${when}, press ${key} or say call me back.`,
  'menu.question.callback-when-open': ({ when }) =>
    `We are closed now. Would you like a call back when we open, ${when}? Say yes or press 1, or say no or press 2.`,
  'menu.option.text-link': ({ key }) => `To get a text with our support details, press ${key} or say text.`,
  'menu.option.email': ({ key }) => `To get our contact information by email, press ${key} or say email.`,
  'menu.repeat': ({ key }) => `To hear these options again, press ${key}.`,
  'menu.question.live-transfer': 'Would you like me to connect you to a person now? Say yes or press 1, or say no or press 2.',
  'menu.question.callback-now': 'Would you like a call back right away? Say yes or press 1, or say no or press 2.',
  'menu.question.callback-scheduled': 'Would you like to schedule a call back? Say yes or press 1, or say no or press 2.',
  'menu.question.text-link': 'Would you like a text with our support details? Say yes or press 1, or say no or press 2.',
  'menu.question.email': 'Would you like our contact information by email? Say yes or press 1, or say no or press 2.',
  'menu.hint.live-transfer': 'agent',
  'menu.hint.callback-now': 'call me back',
  'menu.hint.callback-scheduled': 'schedule',
  'menu.hint.text-link': 'text',
  'menu.hint.email': 'email',
  'menu.declined': 'All right.',
  'menu.gave-up': 'Sorry, I still could not understand. Please call again when you are ready.',
  'number.on-file.call': ({ last4 }) =>
    `Shall we call you at the number ending in ${last4}? Say yes or press 1. To use another number, say no or press 2.`,
  'number.on-file.text': ({ last4 }) =>
    `Shall I text it to the number ending in ${last4}? Say yes or press 1. To use another number, say no or press 2.`,
  'number.enter.call': 'Please enter the number we should call, including the area code, then press pound.',
  'number.enter.text': 'Please enter the mobile number to text, including the area code, then press pound.',
  'number.invalid': 'Sorry, that is not a number I can use.',
  'number.no-digits': 'Sorry, I did not get any digits.',
  'number.read-back': ({ digits }) => `You entered ${digits}. Is that right? Say yes or press 1, or say no or press 2.`,
  'number.give-up': 'Sorry, I could not get a number I can use.',
  'callback.queued-now': ({ last4 }) =>
    `Thank you. An agent will call you back in a moment at the number ending in ${last4}. You can hang up now. Goodbye.`,
  'callback.queued-later': ({ when, last4 }) =>
    `We are closed right now. We will call you back when we open, ${when}, at the number ending in ${last4}. Goodbye.`,
  'callback.already-queued-soon': ({ last4 }) =>
    `You already have a call back on its way to the number ending in ${last4}. We will call you in the next few minutes. Goodbye.`,
  'callback.already-queued-at': ({ when, last4 }) =>
    `You already have a call back queued for the number ending in ${last4}. We will call you ${when}. Goodbye.`,
  'callback.not-saved': 'Sorry, I could not set up your call back right now.',
  'callback.bad-number': 'Sorry, I cannot call that number.',
  'callback.when.today': ({ time }) => `today at ${time}`,
  'callback.when.tomorrow': ({ time }) => `tomorrow at ${time}`,
  'callback.when.weekday': ({ day, time }) => `${day} at ${time}`,
  'callback.when.date': ({ day, date, time }) => `${day}, ${date}, at ${time}`,
  'callback.agent.whisper': ({ line, name, reason }) => `Call back for ${line}. ${name} is waiting${reason ? `, about ${reason}` : ''}.`,
  'callback.agent.unknown-caller': 'A caller',
  'callback.agent.accept': 'Press 1 to call them now.',
  'callback.agent.not-accepted': 'Call back not accepted. We will try again later. Goodbye.',
  'callback.agent.connecting': 'Calling the customer now.',
  'callback.agent.missed': 'The customer did not pick up. We will try again later. Goodbye.',
  'callback.agent.missed-last': 'The customer did not pick up, and that was the last attempt. Goodbye.',
  'callback.agent.gone': 'This call back is no longer needed. Goodbye.',
  'callback.customer.whisper': ({ line }) => `Hello, this is ${line} returning your call. Press 1 to be connected.`,
  'callback.apology-text': ({ line }) => `${line}: sorry we missed you. We tried to call you back but could not reach you. Please call us again when it suits you.`,
  'callback.apology-text.number': ({ number }) => ` You can reach us at ${number}.`,
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
  'menu.hello-known': ({ name }) => `Hola, ${name}.`,
  'menu.none': 'Lo siento, en este momento no tenemos ninguna forma disponible de comunicarle con una persona.',
  'menu.none.support-number': ({ number }) => `Puede llamar a nuestra línea de soporte al ${number}.`,
  'menu.silence': 'Perdón, no escuché nada.',
  'menu.no-match': 'Perdón, no le entendí.',
  'menu.path-unavailable': 'Lo siento, esa opción todavía no está disponible. Esto es lo que puedo hacer.',
  'menu.other-paths': 'Esto es lo que también puedo hacer.',
  'menu.option.live-transfer': ({ key }) => `Para hablar con una persona ahora, marque ${key} o diga agente.`,
  'menu.option.callback-now': ({ key }) => `Para que le llamemos de inmediato, marque ${key} o diga llámenme.`,
  'menu.option.callback-scheduled': ({ key }) => `Para programar una llamada para más tarde, marque ${key} o diga programar.`,
  'menu.option.callback-when-open': ({ key, when }) => `Ahora estamos cerrados. Para que le llamemos cuando abramos, ${when}, marque ${key} o diga llámenme.`,
  'menu.question.callback-when-open': ({ when }) =>
    `Ahora estamos cerrados. ¿Desea que le llamemos cuando abramos, ${when}? Diga sí o marque 1, o diga no o marque 2.`,
  'menu.option.text-link': ({ key }) => `Para recibir un mensaje de texto con nuestros datos de soporte, marque ${key} o diga texto.`,
  'menu.option.email': ({ key }) => `Para recibir nuestra información por correo electrónico, marque ${key} o diga correo.`,
  'menu.repeat': ({ key }) => `Para escuchar estas opciones otra vez, marque ${key}.`,
  'menu.question.live-transfer': '¿Desea que le comunique con una persona ahora? Diga sí o marque 1, o diga no o marque 2.',
  'menu.question.callback-now': '¿Desea que le llamemos de inmediato? Diga sí o marque 1, o diga no o marque 2.',
  'menu.question.callback-scheduled': '¿Desea programar una llamada? Diga sí o marque 1, o diga no o marque 2.',
  'menu.question.text-link': '¿Desea recibir un mensaje de texto con nuestros datos de soporte? Diga sí o marque 1, o diga no o marque 2.',
  'menu.question.email': '¿Desea recibir nuestra información por correo electrónico? Diga sí o marque 1, o diga no o marque 2.',
  'menu.hint.live-transfer': 'agente',
  'menu.hint.callback-now': 'llámenme',
  'menu.hint.callback-scheduled': 'programar',
  'menu.hint.text-link': 'texto',
  'menu.hint.email': 'correo',
  'menu.declined': 'Está bien.',
  'menu.gave-up': 'Lo siento, sigo sin entenderle. Llame otra vez cuando esté listo, por favor.',
  'number.on-file.call': ({ last4 }) =>
    `¿Le llamamos al número que termina en ${last4}? Diga sí o marque 1. Para usar otro número, diga no o marque 2.`,
  'number.on-file.text': ({ last4 }) =>
    `¿Le envío el mensaje al número que termina en ${last4}? Diga sí o marque 1. Para usar otro número, diga no o marque 2.`,
  'number.enter.call': 'Marque el número al que debemos llamarle, con el código de área, y después la tecla numeral.',
  'number.enter.text': 'Marque el número de celular al que enviaremos el mensaje, con el código de área, y después la tecla numeral.',
  'number.invalid': 'Lo siento, ese no es un número que pueda usar.',
  'number.no-digits': 'Perdón, no recibí ningún número.',
  'number.read-back': ({ digits }) => `Marcó ${digits}. ¿Es correcto? Diga sí o marque 1, o diga no o marque 2.`,
  'number.give-up': 'Lo siento, no pude obtener un número que pueda usar.',
  'callback.queued-now': ({ last4 }) =>
    `Gracias. Un agente le devolverá la llamada en un momento al número que termina en ${last4}. Ya puede colgar. Adiós.`,
  'callback.queued-later': ({ when, last4 }) =>
    `En este momento estamos cerrados. Le llamaremos cuando abramos, ${when}, al número que termina en ${last4}. Adiós.`,
  'callback.already-queued-soon': ({ last4 }) =>
    `Ya tiene una llamada en camino al número que termina en ${last4}. Le llamaremos en los próximos minutos. Adiós.`,
  'callback.already-queued-at': ({ when, last4 }) =>
    `Ya tiene una llamada programada al número que termina en ${last4}. Le llamaremos ${when}. Adiós.`,
  'callback.not-saved': 'Lo siento, no pude programar su llamada en este momento.',
  'callback.bad-number': 'Lo siento, no puedo llamar a ese número.',
  'callback.when.today': ({ time }) => `hoy ${time}`,
  'callback.when.tomorrow': ({ time }) => `mañana ${time}`,
  'callback.when.weekday': ({ day, time }) => `el ${day} ${time}`,
  'callback.when.date': ({ day, date, time }) => `el ${day} ${date} ${time}`,
  'callback.agent.whisper': ({ line, name, reason }) => `Devolución de llamada para ${line}. ${name} está esperando${reason ? `, sobre ${reason}` : ''}.`,
  'callback.agent.unknown-caller': 'Un cliente',
  'callback.agent.accept': 'Marque 1 para llamarle ahora.',
  'callback.agent.not-accepted': 'Llamada no aceptada. Lo intentaremos más tarde. Adiós.',
  'callback.agent.connecting': 'Llamando al cliente.',
  'callback.agent.missed': 'El cliente no contestó. Lo intentaremos más tarde. Adiós.',
  'callback.agent.missed-last': 'El cliente no contestó, y era el último intento. Adiós.',
  'callback.agent.gone': 'Esta llamada ya no es necesaria. Adiós.',
  'callback.customer.whisper': ({ line }) => `Hola, le habla ${line} para devolverle la llamada. Marque 1 para comunicarse.`,
  'callback.apology-text': ({ line }) => `${line}: lamentamos no haberle encontrado. Intentamos devolverle la llamada sin éxito. Llámenos otra vez cuando le convenga.`,
  'callback.apology-text.number': ({ number }) => ` Puede llamarnos al ${number}.`,
};

const catalogues: Record<Language, Record<PromptId, Prompt>> = { 'en-US': enUS, 'es-US': esUS };

export function prompt(language: Language, id: PromptId, vars: Vars = {}): string {
  const entry = catalogues[language][id];
  return typeof entry === 'function' ? entry(vars) : entry;
}
