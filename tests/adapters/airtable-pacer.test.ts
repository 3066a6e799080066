// The pace of one instance's Airtable requests, on a clock the test moves: at most 5 starts in any
// window, the nearest deadline served first, a request that could not start in time told at once, and
// nothing sent while Airtable's 30 s lockout after a 429 lasts.
import { airtablePacer, BaseLockedOut, LOCKOUT_MS, NoTurnInTime, type PacerClock } from '../../src/assets/adapters/airtable-pacer.private';

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** A clock that only moves when the test says, running the timers that come due. */
function manualClock(): PacerClock & { advance(ms: number): Promise<void> } {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    after(ms, run) {
      timers.push({ at: now + ms, run });
    },
    async advance(ms) {
      // What was granted before the clock moves is recorded at the time it was granted.
      await flush();
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = Math.max(now, due.at);
        due.run();
        await flush();
      }
      now = until;
      await flush();
    },
  };
}

/** Asks for a turn and records when (on the manual clock) it came, or that it was refused. */
function ask(pacer: ReturnType<typeof airtablePacer>, clock: PacerClock, latestStart: number, log: string[], name: string): Promise<void> {
  return pacer.turn(latestStart).then(
    () => void log.push(`${name}@${clock.now()}`),
    (error: unknown) => void log.push(`${name} refused${error instanceof NoTurnInTime ? '' : ' (wrong error)'}@${clock.now()}`),
  );
}

test('five requests go at once; the sixth waits until the first leaves the window', async () => {
  const clock = manualClock();
  const pacer = airtablePacer(5, 1200, clock);
  const log: string[] = [];
  const asked = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ask(pacer, clock, 5000, log, name));
  await clock.advance(0);
  expect(log).toEqual(['a@0', 'b@0', 'c@0', 'd@0', 'e@0']);
  await clock.advance(1199);
  expect(log).toHaveLength(5);
  await clock.advance(1);
  await Promise.all(asked);
  expect(log.at(-1)).toBe('f@1200');
});

test('waiting requests go nearest deadline first: a caller before a report nobody hears', async () => {
  const clock = manualClock();
  const pacer = airtablePacer(1, 1000, clock);
  const log: string[] = [];
  const first = ask(pacer, clock, 100, log, 'first');
  const report = ask(pacer, clock, 9000, log, 'report');
  const caller = ask(pacer, clock, 2500, log, 'caller');
  await clock.advance(3000);
  await Promise.all([first, report, caller]);
  expect(log).toEqual(['first@0', 'caller@1000', 'report@2000']);
});

test('a request whose turn would come after it had to start is refused at once, not at its deadline', async () => {
  const clock = manualClock();
  const pacer = airtablePacer(2, 1000, clock);
  const log: string[] = [];
  const asked = [ask(pacer, clock, 50, log, 'a'), ask(pacer, clock, 50, log, 'b'), ask(pacer, clock, 700, log, 'late'), ask(pacer, clock, 1500, log, 'c')];
  await clock.advance(0);
  expect(log).toEqual(['a@0', 'b@0', 'late refused@0']);
  await clock.advance(1000);
  await Promise.all(asked);
  expect(log).toEqual(['a@0', 'b@0', 'late refused@0', 'c@1000']);
});

test('the window slides: starts spread over time never put more than the limit in any window', async () => {
  const clock = manualClock();
  const pacer = airtablePacer(5, 1200, clock);
  const starts: number[] = [];
  const asked: Promise<void>[] = [];
  for (let i = 0; i < 40; i++) {
    asked.push(pacer.turn(60_000).then(() => void starts.push(clock.now())));
    await clock.advance(97);
  }
  await clock.advance(20_000);
  await Promise.all(asked);
  expect(starts).toHaveLength(40);
  for (const start of starts) expect(starts.filter((s) => s >= start && s < start + 1200).length).toBeLessThanOrEqual(5);
});

test('after a 429 nothing is sent for the lockout: the requests waiting and the ones asking are refused at once, with a 429 of their own', async () => {
  const clock = manualClock();
  const pacer = airtablePacer(1, 1000, clock);
  const log: string[] = [];
  await pacer.turn(60_000);
  const waiting = pacer.turn(60_000).catch((error: unknown) => void log.push(error instanceof BaseLockedOut ? `waiting: ${error.statusCode}` : 'waiting: wrong error'));
  pacer.lockOut();
  await waiting;
  await expect(pacer.turn(60_000)).rejects.toMatchObject({ statusCode: 429 });
  await clock.advance(LOCKOUT_MS - 1);
  await expect(pacer.turn(60_000)).rejects.toBeInstanceOf(BaseLockedOut);
  await clock.advance(1);
  await expect(pacer.turn(60_000)).resolves.toBeUndefined();
  expect(log).toEqual(['waiting: 429']);
});
