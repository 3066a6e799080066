// Demo bases for tests that need more than sandbox/demo-data gives.
import { DEMO_LINES, demoBaseWithHours, type DemoBase } from '../../sandbox/demo-data';

/** Rosa, a Spanish-speaking contact with a phone and an email on file. */
export const SPANISH_CALLER = '+13055550177';

/**
 * The demo base, always open, with `switches` turned on for the Spanish (After-hours) line, a Spanish
 * `Support Link` on it, and Rosa among the contacts.
 */
export function spanishLineBase(switches: Readonly<Record<string, boolean>>): DemoBase {
  const base = demoBaseWithHours('open');
  const afterHours = base.Lines.find((l) => l['Phone Number'] === DEMO_LINES.afterHours)!;
  Object.assign(afterHours, { ...switches, 'Support Link': 'https://ayuda.example.com/' });
  base.Contacts.push({ Name: 'Rosa Díaz', Phone: SPANISH_CALLER, Email: 'rosa@example.net' });
  return base;
}
