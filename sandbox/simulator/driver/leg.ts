// The driver's internal vocabulary for one leg of a call: its state, the next request, how a leg
// ends and what a verb asks for next; plus the attribute readers every verb uses.
import type { CallStatus } from '../../emulators/twilio';
import type { Leg, RequestReason } from '../transcript';
import type { ConferenceTalk } from './conference';

export interface LegState {
  readonly leg: Leg;
  readonly params: Record<string, string>;
  answered: boolean;
  readonly sip: boolean;
  readonly machine: boolean;
  lastActedAt: number;
  /** An agent's leg: how long it talks in a conference once it has started, and who hangs up. */
  readonly talk?: ConferenceTalk;
}

export interface NextRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly reason: RequestReason;
  readonly extra: Readonly<Record<string, string>>;
  /** Runs once the next document has arrived (Twilio posts the recording callback after the dial action). */
  readonly afterResponse?: () => Promise<void>;
}

export interface LegEnd {
  readonly by: 'app' | 'party' | 'transfer';
  readonly cause: string;
  readonly status: CallStatus;
}

export type VerbOutcome = { readonly kind: 'continue' } | { readonly kind: 'next'; readonly request: NextRequest } | { readonly kind: 'end'; readonly end: LegEnd };

export const CONTINUE: VerbOutcome = { kind: 'continue' };

export function methodOf(value: string | undefined): 'GET' | 'POST' {
  return value?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

export function integerOf(value: string | undefined, fallback: number): number {
  const parsed = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(parsed) ? parsed : fallback;
}
