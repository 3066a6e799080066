// The order jest starts test files in. Jest runs the slowest first when an earlier run timed them, so
// the last minutes are not one long file on one worker; a fresh clone (CI) has no timings and jest falls
// back to file size, which started the 30-second fault matrix last. These files wait for most of their
// time on purpose (deadlines, settles, child processes), and start first in this order whatever jest
// knows; the others follow in jest's order. Waiting files and busy ones alternate, so that two cores stay busy.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const START_FIRST = [
  'reliability/fault-matrix.test.ts',
  'schedule/scheduled-callback.test.ts',
  'reliability/fuzz.test.ts',
  'acceptance/robustness.test.ts',
  'deploy/deploy-rehearsal.test.ts',
  'text/text-send.test.ts',
  'simulator/call-cli.test.ts',
  'callback/dispatch-callbacks.test.ts',
  'readme-deploy-guide.test.ts',
  'transfer/live-transfer.test.ts',
  'voicemail/voicemail-path.test.ts',
].map((file) => path.join(__dirname, file));

class StartLongFilesFirst extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const index = START_FIRST.indexOf(test.path);
      return index === -1 ? START_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the other files keep jest's order.
    return super.sort(tests).sort((a, b) => rank(a) - rank(b));
  }
}

// Read by tests/sequencer.test.ts: a renamed file would silently lose its place.
StartLongFilesFirst.START_FIRST = START_FIRST;

module.exports = StartLongFilesFirst;
