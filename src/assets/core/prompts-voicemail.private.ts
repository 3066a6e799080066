// What the voicemail path says (the menu's option, the prompt before the beep, what follows the
// message) and the agent's whisper on the call back a voicemail becomes, in both languages. Merged into
// the one catalogue of core/prompts, so `utter` says them like any other prompt.
type Vars = Readonly<Record<string, string>>;
type Prompt = string | ((vars: Vars) => string);

export const VOICEMAIL_EN_US = {
  'menu.option.voicemail': ({ key }) => `To leave a message, press ${key} or say message.`,
  'menu.question.voicemail': 'Would you like to leave a message? Say yes or press 1, or say no or press 2.',
  'menu.hint.voicemail': 'message',
  'voicemail.prompt': 'Please leave your message after the beep, and press the pound key when you are done.',
  'voicemail.again': 'Sorry, I did not get a message. Please try once more after the beep.',
  'voicemail.no-callback': 'We will pass your message on to the team, but we will not be able to call you back.',
  'voicemail.kept': ({ last4 }) => `Thank you. We got your message and will call you back at the number ending in ${last4}. Goodbye.`,
  'voicemail.kept-no-callback': 'Thank you. We got your message and will pass it on to the team. Goodbye.',
  'voicemail.nothing-kept': 'Sorry, I still did not get a message.',
  'callback.agent.whisper-voicemail': ({ line, name }) => `Call back for ${line}, about a voicemail ${name} left.`,
  'callback.agent.voicemail-said': ({ sentence }) => `They said: ${sentence}`,
  'callback.agent.voicemail-caller': 'a caller',
  'callback.agent.also-voicemail': 'They also left a voicemail.',
} satisfies Record<string, Prompt>;

export const VOICEMAIL_ES_US: Record<keyof typeof VOICEMAIL_EN_US, Prompt> = {
  'menu.option.voicemail': ({ key }) => `Para dejar un recado, marque ${key} o diga recado.`,
  'menu.question.voicemail': '¿Desea dejar un recado? Diga sí o marque 1, o diga no o marque 2.',
  'menu.hint.voicemail': 'recado',
  'voicemail.prompt': 'Deje su recado después del tono, y marque la tecla de numeral cuando termine.',
  'voicemail.again': 'Perdón, no recibí ningún recado. Inténtelo una vez más después del tono.',
  'voicemail.no-callback': 'Pasaremos su recado al equipo, pero no podremos devolverle la llamada.',
  'voicemail.kept': ({ last4 }) => `Gracias. Recibimos su recado y le llamaremos al número que termina en ${last4}. Adiós.`,
  'voicemail.kept-no-callback': 'Gracias. Recibimos su recado y se lo pasaremos al equipo. Adiós.',
  'voicemail.nothing-kept': 'Lo siento, sigo sin recibir ningún recado.',
  'callback.agent.whisper-voicemail': ({ line, name }) => `Devolución de llamada para ${line}, por un recado que dejó ${name}.`,
  'callback.agent.voicemail-said': ({ sentence }) => `Dijo: ${sentence}`,
  'callback.agent.voicemail-caller': 'un cliente',
  'callback.agent.also-voicemail': 'También dejó un recado.',
};
