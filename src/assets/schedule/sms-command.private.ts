// What a text to the line's number asks for. Pure.
// Twilio answers its own keywords (STOP, START, HELP and their synonyms): those get no reply from us.
// A bare CANCEL is also one of Twilio's opt-out keywords; it still cancels the booking here.

export type SmsCommand =
  | { readonly kind: 'cancel' }
  | { readonly kind: 'change' }
  /** A reply with one of the numbers of the CHANGE list (1-based). */
  | { readonly kind: 'choose'; readonly choice: number }
  /** STOP/START/HELP and friends: Twilio's to answer. */
  | { readonly kind: 'twilio-keyword' }
  | { readonly kind: 'other' };

/** How many numbered times a CHANGE reply offers. */
export const SMS_CHOICES = 3;

// Twilio's default opt-out, opt-in and help keywords, minus CANCEL which is ours too.
const TWILIO_KEYWORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'START', 'YES', 'UNSTOP', 'HELP', 'INFO']);
const CANCEL = /^(CANCEL|CANCEL CALL|CANCEL MY CALL|CANCEL CALLBACK|CANCEL CALL BACK|CANCELAR|CANCELAR LLAMADA)$/;
const CHANGE = /^(CHANGE|CHANGE CALL|CHANGE TIME|MOVE|RESCHEDULE|CAMBIAR|CAMBIO|CAMBIAR HORA)$/;

export function readSmsCommand(body: string | undefined): SmsCommand {
  const text = (body ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9 ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (TWILIO_KEYWORDS.has(text)) return { kind: 'twilio-keyword' };
  if (CANCEL.test(text)) return { kind: 'cancel' };
  if (CHANGE.test(text)) return { kind: 'change' };
  const choice = /^(?:OPTION |NUMBER |NUMERO )?(\d)$/.exec(text);
  if (choice && Number(choice[1]) >= 1 && Number(choice[1]) <= SMS_CHOICES) return { kind: 'choose', choice: Number(choice[1]) };
  return { kind: 'other' };
}
