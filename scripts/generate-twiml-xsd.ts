// Writes the Voice TwiML schema derived from the installed twilio package (the one the call
// simulator validates every document against) to a file, or to stdout:
//
//   npx tsx scripts/generate-twiml-xsd.ts [out.xsd]
//
// The simulator generates it by itself (cached under .sandbox/twiml/, keyed by twilio's version);
// this is for reading it, or for validating TwiML with other tools.
import { writeFileSync } from 'node:fs';
import { generateTwimlXsd, installedTwilioVersion } from '../sandbox/simulator/twiml-xsd';

const [out] = process.argv.slice(2);
const xsd = generateTwimlXsd();
if (out) {
  writeFileSync(out, xsd);
  console.error(`wrote ${out}: Voice TwiML of twilio ${installedTwilioVersion()}`);
} else {
  process.stdout.write(xsd);
}
