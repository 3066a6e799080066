// /jobs/dispatch-callbacks: places the callbacks that are due (Queued or Retry past Next Attempt At,
// Booked past Scheduled For, Dialing whose claim lapsed), inside business hours, each attempt exactly
// once however many runs go at the same time. Public (an external scheduler calls it) behind
// `Authorization: Bearer $DISPATCH_SECRET`.
//
// Claiming, when Airtable has no conditional write: a run reads the rows (read R), writes `Dialing` with
// its own token (write W), waits the settle time S (config `dispatchSettleMs`, 2 s), reads them again
// and dials only the rows that still carry its token. A run only goes on when W finished within S of
// R's start. Why that is enough: if runs A and B both dialled a row and A's W landed first, B's W
// landed after A's second read (A saw its own token), which is at least S after A's W; B's R saw the
// row unclaimed, so it was served before A's W: B's W then finished more than S after B's R started,
// and B would have stopped. A claim lasts UNPLACED_CLAIM_MS (Next Attempt At), its placed call CLAIM_LEASE_MS;
// a row still Dialing after that was lost (a run that died, Airtable failing after the claim, a status
// callback that never came) and is taken again (unless Twilio says its call is still going).
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { isDue, type CallbacksTable } from '../adapters/callbacks-table.private';
import { twilioClientFor } from '../adapters/twilio-client.private';
import { recordMissed, ringAgentFrom } from '../call/callback-attempts.private';
import type { EventAnswer, EventRequest } from '../call/request.private';
import type { CallSession } from '../call/session.private';
import { isOpenAt, nextOpening, type Schedule } from '../core/business-hours.private';
import { claimMark, CLAIM_LEASE_MS, isClaimMark, UNPLACED_CLAIM_MS } from '../core/callback-attempts.private';
import { lineSchedule } from '../core/callback-timing.private';
import { isCallSid, type Line } from '../core/model.private';
import type { CallbackRow } from '../core/rows.private';
import { REMINDERS_MIN_MS, sendDueReminders } from './dispatch-reminders.private';

/** The run's time budget: Functions stop at 10 s. */
export const DISPATCH_BUDGET_MS = 8000;
/** Rows claimed (and dialled) per round, and rounds per run: the rest waits for the next run. */
export const BATCH_SIZE = 10;
const MAX_ROUNDS = 2;
/** Due rows read per round; each run claims a random BATCH_SIZE of them, so concurrent runs rarely collide. */
const LIST_LIMIT = 50;
/** A round needs this much time left: read, claim, settle, read, dial, write. */
const ROUND_MIN_MS = 3500;

const ACTIVE_CALL = new Set(['queued', 'ringing', 'in-progress']);
/**
 * A Queued or Retry row of a closed line is moved to the line's next opening, so that it neither waits
 * in every run's list (crowding out rows that can be dialled) nor is lost. Only when the line was
 * closed all through this margin before and after now: no other run (a run lasts under 10 s) can have
 * seen the line open and claimed the row, so moving `Next Attempt At` never races a claim.
 */
export const POSTPONE_MARGIN_MS = 5 * 60_000;

/** When a due Queued/Retry row of a closed line should be tried next; undefined to leave it as it is. */
export function decidePostponement(schedule: Schedule, row: Pick<CallbackRow, 'status'>, now: Date): Date | undefined {
  if (row.status !== 'Queued' && row.status !== 'Retry') return undefined;
  const opening = nextOpening(schedule, new Date(now.getTime() - POSTPONE_MARGIN_MS));
  return opening && opening.getTime() > now.getTime() + POSTPONE_MARGIN_MS ? opening : undefined;
}

export interface DispatchReport {
  readonly dialled: { id: string; callSid?: string }[];
  readonly skipped: { id: string; reason: string }[];
  /** Due rows this run did not get to (the next run will). */
  left: number;
  readonly errors: string[];
}

/** `Authorization: Bearer <secret>`, compared in constant time (digests have equal lengths). */
export function hasDispatchSecret(authorization: string | undefined, secret: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(secret)) && given !== '';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

class DispatchRun {
  private readonly token = randomUUID();
  private readonly lines = new Map<string, Promise<Line | undefined>>();
  /** Rows this run already looked at: a later round does not skip (or count) them twice. */
  private readonly seen = new Set<string>();
  /** Rows of closed lines to move to their line's next opening (see decidePostponement). */
  private readonly postponed: { id: string; changes: { nextAttemptAt: string } }[] = [];
  readonly report: DispatchReport = { dialled: [], skipped: [], left: 0, errors: [] };

  private readonly request: EventRequest;

  constructor(
    private readonly call: CallSession<EventRequest>,
    private readonly table: CallbacksTable,
  ) {
    this.request = call.request;
  }

  private now(): Date {
    return new Date();
  }

  private lineOf(number: string): Promise<Line | undefined> {
    let line = this.lines.get(number);
    if (!line) {
      line = this.call.line(number).catch(() => undefined);
      this.lines.set(number, line);
    }
    return line;
  }

  private skip(id: string, reason: string): void {
    this.report.skipped.push({ id, reason });
  }

  /** Whether a due row may be claimed now: its line is open, and a lapsed claim's call is really over. */
  private async claimable(row: CallbackRow): Promise<boolean> {
    const line = await this.lineOf(row.line);
    if (!line) return this.skip(row.id, 'unknown-line'), false;
    const schedule = lineSchedule(line, this.request.config.defaultTimezone);
    if (!isOpenAt(schedule, this.now())) {
      const opening = decidePostponement(schedule, row, this.now());
      if (opening) this.postponed.push({ id: row.id, changes: { nextAttemptAt: opening.toISOString() } });
      return this.skip(row.id, opening ? 'closed-postponed' : 'closed'), false;
    }
    if (row.status === 'Dialing' && isCallSid(row.callbackCallSid)) {
      // The claim lapsed but the call may still be going (a long ring and whisper): ask Twilio.
      try {
        const client = twilioClientFor(this.request.config, Math.max(500, this.request.deadline - Date.now()));
        const call = client ? await client.calls(row.callbackCallSid).fetch() : undefined;
        if (!call || ACTIVE_CALL.has(call.status)) return this.skip(row.id, 'call-in-progress'), false;
      } catch {
        return this.skip(row.id, 'call-status-unknown'), false;
      }
    }
    return true;
  }

  /** Moves the postponed rows (ten per request). Not the end of the run when it fails: they stay due. */
  async postpone(): Promise<void> {
    const rows = this.postponed.splice(0);
    if (rows.length === 0) return;
    try {
      await this.table.updateMany(rows, this.request.deadline);
    } catch (error) {
      this.request.log.warn('postpone-failed', { rows: rows.length, error });
    }
  }

  /** One round: returns whether another round could find more. */
  async round(): Promise<boolean> {
    const { deadline } = this.request;
    const due = (await this.table.listDue(this.now(), LIST_LIMIT, deadline)).filter((row) => !this.seen.has(row.id));
    const candidates: CallbackRow[] = [];
    for (const row of shuffled(due)) {
      if (candidates.length >= BATCH_SIZE) break;
      this.seen.add(row.id);
      if (await this.claimable(row)) candidates.push(row);
    }
    this.report.left = due.filter((row) => !this.seen.has(row.id)).length;
    await this.postpone();
    if (candidates.length === 0) return false;

    // Read R (fresh), write W, settle, read again: see the protocol at the top.
    const readStarted = Date.now();
    const fresh = (await this.table.findMany(candidates.map((r) => r.id), deadline)).filter((r) => isDue(r, this.now()));
    if (fresh.length === 0) return this.report.left > 0;
    await this.table.claim(fresh.map((r) => r.id), this.token, new Date(Date.now() + UNPLACED_CLAIM_MS), deadline);
    const claimedAt = Date.now();
    const settleMs = this.request.config.dispatchSettleMs;
    if (claimedAt - readStarted > settleMs) {
      // Too slow to be sure no other run dialled one of these: leave them; the lease brings them back.
      fresh.forEach((r) => this.skip(r.id, 'claim-too-slow'));
      return false;
    }
    await sleep(claimedAt + settleMs - Date.now());
    const reread = await this.table.findMany(fresh.map((r) => r.id), deadline);
    const mine = reread.filter((r) => r.status === 'Dialing' && r.callbackCallSid === claimMark(this.token));
    reread.filter((r) => !mine.includes(r)).forEach((r) => this.skip(r.id, 'claimed-by-another-run'));
    await this.dial(mine);
    return due.length === LIST_LIMIT || this.report.left > 0;
  }

  /** Places one call per claimed row, then records the placed ones in as few writes as possible. */
  private async dial(rows: readonly CallbackRow[]): Promise<void> {
    const { call, table } = this;
    const now = this.now();
    const placed: { id: string; attempt: number; callSid: string }[] = [];
    await Promise.all(
      rows.map(async (row) => {
        const line = await this.lineOf(row.line);
        if (!line) return this.skip(row.id, 'unknown-line');
        const attempt = row.attempts + 1;
        if (row.attempts >= line.callbackMaxAttempts) {
          await recordMissed(call, table, line, row, row.attempts, row.callbackCallSid && !isClaimMark(row.callbackCallSid) ? row.callbackCallSid : undefined, now);
          return this.skip(row.id, 'attempts-exhausted');
        }
        // The line's first agent, or the first of its group that Twilio will call.
        const outcome = await ringAgentFrom(call, line, row, { attempt, agent: 0 });
        if (outcome.kind === 'placed') {
          placed.push({ id: row.id, attempt, callSid: outcome.callSid });
          this.report.dialled.push({ id: row.id, callSid: outcome.callSid });
        } else if (outcome.kind === 'refused') {
          // Twilio would not place a call to any agent: that attempt is spent (a bad agent number must not loop forever).
          this.report.errors.push(`${row.id}: call refused${outcome.code ? ` (${outcome.code})` : ''}`);
          await recordMissed(call, table, line, row, attempt, undefined, now);
        } else {
          // Maybe placed: its `initiated` status callback records it; otherwise the lease brings it back.
          this.skip(row.id, 'call-unconfirmed');
        }
      }),
    );
    const leaseUntil = new Date(Date.now() + CLAIM_LEASE_MS).toISOString();
    await this.table.updateMany(
      placed.map((p) => ({ id: p.id, changes: { status: 'Dialing', callbackCallSid: p.callSid, attempts: p.attempt, nextAttemptAt: leaseUntil } })),
      this.request.deadline,
    );
  }
}

export async function handleDispatchCallbacks(call: CallSession<EventRequest>): Promise<EventAnswer> {
  const { request } = call;
  const secret = request.config.dispatchSecret;
  if (!secret) return { status: 503, json: { error: 'DISPATCH_SECRET is not configured' } };
  if (!hasDispatchSecret(request.headers.authorization, secret)) return { status: 401, json: { error: 'unauthorized' } };
  const table = call.callbacks();
  if (!table) return { status: 503, json: { error: 'Airtable is not configured' } };

  const run = new DispatchRun(call, table);
  for (let round = 0; round < MAX_ROUNDS && request.deadline - Date.now() > ROUND_MIN_MS; round++) {
    try {
      if (!(await run.round())) break;
    } catch (error) {
      // Airtable refused or hung (a 429 bars the base for 30 s): stop; the next run picks up from the rows.
      const status = (error as { statusCode?: number }).statusCode;
      run.report.errors.push(status ? `Airtable answered ${status}` : 'Airtable did not answer in time');
      request.log.warn('dispatch-stopped', { error });
      break;
    }
  }
  request.log.info('dispatched', { dialled: run.report.dialled.length, skipped: run.report.skipped.length, left: run.report.left });
  // Scheduled callbacks' reminders that Twilio does not hold (./dispatch-reminders), when Airtable is well and time is left.
  if (run.report.errors.length === 0 && request.deadline - Date.now() > REMINDERS_MIN_MS) {
    const reminders = await sendDueReminders(call).catch((error: unknown) => ({ sent: [], errors: [String((error as Error).message ?? error)] }));
    if (reminders.sent.length > 0 || reminders.errors.length > 0) return { status: 200, json: { ...run.report, reminders } };
  }
  return { status: 200, json: run.report };
}
