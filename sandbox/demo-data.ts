// The demo base that `npm start` seeds and `npm run sandbox:reset` restores: the product guide's
// three example lines, a service desk that rings a team and takes voicemail, and a few contacts.
// Field names are the contract of SPEC §3.
// Numbers are in the 555-01xx range, reserved for fiction in North America.
import { DateTime } from 'luxon';

export type DemoFields = Record<string, string | number | boolean | string[]>;
export type DemoBase = Record<string, DemoFields[]>;

export const DEMO_BASE_ID = 'appDemoIvrEsc0001';
export const DEMO_AGENT_NUMBER = '+12025550100';
/** The Service Desk's ring group: its Fallback Transfer Number, then its More Agent Numbers. */
export const DEMO_DESK_AGENTS = [DEMO_AGENT_NUMBER, '+12025550105', '+12025550106'] as const;

export const DEMO_LINES = {
  sales: '+12025550110',
  support: '+12025550120',
  afterHours: '+12025550130',
  /** A ring group (all at once, first to accept) with voicemail. */
  serviceDesk: '+12025550160',
} as const;

export const DEMO_CALLERS = {
  /** Known contact calling from their own phone. */
  dana: '+14155550142',
  /** Known contact calling from a business number, with another Callback Number and an Email. */
  luis: '+12125550199',
  luisCallback: '+13105550123',
  /** Known contact who asked not to be contacted. */
  morgan: '+16175550188',
  /** Nobody on file. */
  stranger: '+17185550111',
  /** Known contact with an email, calling from a landline: a text to it is accepted, then undelivered (30006). */
  riley: '+16465550133',
} as const;

export function demoBase(): DemoBase {
  return {
    Lines: [
      {
        Name: 'Sales',
        'Phone Number': DEMO_LINES.sales,
        Greeting: 'Thanks for calling Acme Sales. How can I help you today?',
        Language: 'en-US',
        Voice: 'Polly.Joanna',
        Timezone: 'America/New_York',
        'Business Hours': 'Mon-Fri 09:00-17:00',
        Holidays: '2026-12-25, 2027-01-01',
        'Fallback Transfer Number': DEMO_AGENT_NUMBER,
        'Transfer Method': 'Bridge',
        'Live Transfer': true,
        'Record Agent Leg': true,
        'Recording Notice': 'This call may be recorded for quality.',
        'Agent Must Accept': true,
        'Support Number': '+12025550101',
      },
      {
        Name: 'Support',
        'Phone Number': DEMO_LINES.support,
        Greeting: 'Welcome to Acme Support. Tell me what you need, or say agent at any time.',
        Language: 'en-US',
        Timezone: 'America/Chicago',
        'Business Hours': 'Mon-Fri 08:00-18:00; Sat 10:00-14:00',
        'Fallback Transfer Number': DEMO_AGENT_NUMBER,
        'Transfer Method': 'Bridge',
        'Live Transfer': true,
        'Phone Callback': true,
        'Scheduled Callback': true,
        'Text Link': true,
        'Email Contact': true,
        'Record Agent Leg': true,
        'Recording Notice': 'This call may be recorded for quality and training.',
        'Agent Must Accept': true,
        'Support Link': 'https://support.example.com/help',
        'Support Number': '+12025550102',
        'Callback Slot Minutes': 30,
        'Callback Slot Capacity': 2,
        'Callback Days Ahead': 7,
        'Callback Max Attempts': 3,
      },
      {
        Name: 'After-hours',
        'Phone Number': DEMO_LINES.afterHours,
        Greeting: 'Gracias por llamar a Acme. Nuestras oficinas están cerradas. ¿En qué le puedo ayudar?',
        Language: 'es-US',
        Voice: 'Polly.Lupe',
        Timezone: 'America/Los_Angeles',
        'Business Hours': 'Mon-Fri 09:00-17:00',
        'Fallback Transfer Number': DEMO_AGENT_NUMBER,
        'Transfer Method': 'Bridge',
        'Phone Callback': true,
        'Scheduled Callback': true,
        'Support Number': '+12025550103',
      },
      {
        Name: 'Service Desk',
        'Phone Number': DEMO_LINES.serviceDesk,
        Greeting: 'Thanks for calling the Acme service desk. Tell me what you need, or say agent at any time.',
        Language: 'en-US',
        Timezone: 'America/Denver',
        'Business Hours': 'Mon-Fri 07:00-19:00',
        'Fallback Transfer Number': DEMO_DESK_AGENTS[0],
        'More Agent Numbers': DEMO_DESK_AGENTS.slice(1).join(', '),
        'Ring Strategy': 'Simultaneous',
        'Ring Seconds': 20,
        'Transfer Method': 'Bridge',
        'Live Transfer': true,
        'Phone Callback': true,
        'Agent Must Accept': true,
        'Support Number': '+12025550104',
        Voicemail: true,
        'Voicemail Max Seconds': 120,
        'Voicemail Email': 'servicedesk@example.com',
      },
    ],
    Contacts: [
      { Name: 'Dana Whitfield', Phone: DEMO_CALLERS.dana, Email: 'dana@example.com' },
      {
        Name: 'Luis Ortega',
        Phone: DEMO_CALLERS.luis,
        'Callback Number': DEMO_CALLERS.luisCallback,
        Email: 'luis.ortega@example.org',
      },
      { Name: 'Morgan Reyes', Phone: DEMO_CALLERS.morgan, 'Do Not Contact': true },
      { Name: 'Riley Chen', Phone: DEMO_CALLERS.riley, Email: 'riley.chen@example.com' },
    ],
    Callbacks: [],
    Calls: [],
  };
}


export type DemoHours = 'as-is' | 'open' | 'closed';

/**
 * The demo base with business hours pinned, so a test or a simulated call behaves the same at any hour.
 * open: no hours and no holidays on any line; closed: today and tomorrow are holidays on every line.
 */
export function demoBaseWithHours(hours: DemoHours, now: Date = new Date()): DemoBase {
  const base = demoBase();
  if (hours === 'as-is') return base;
  for (const line of base.Lines) {
    delete line['Business Hours'];
    delete line.Holidays;
    if (hours === 'closed') {
      const today = DateTime.fromJSDate(now).setZone(String(line.Timezone ?? 'UTC'));
      line.Holidays = [today.toISODate(), today.plus({ days: 1 }).toISODate()].join(', ');
    }
  }
  return base;
}
