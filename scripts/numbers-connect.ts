// `npm run numbers:connect -- --url https://<your-service>.twil.io [--apply]`: points every line's
// number that this Twilio account owns at the Functions: voice URL /voice/incoming, call status
// callback /events/call-status, messaging URL /sms/incoming (all POST). A dry run by default: it
// prints what it would change; --apply changes it. A number that is not a line is never touched.
import { parseArgs } from 'node:util';
import type { Twilio } from 'twilio';
import { twilioClientFor } from '../src/assets/adapters/twilio-client.private';
import { airtableBase, runCommand, stdoutLine, type CommandContext } from './lib/cli';
import { CommandError, loadSettings, requireAirtable } from './lib/settings';
import { planNumberWiring, serviceBaseUrl, type OwnedNumber } from './twilio/number-wiring';

const HELP = `Usage: npm run numbers:connect -- --url https://<your-service>.twil.io [--apply]

For every line in the Lines table whose Phone Number this Twilio account owns, sets the number's
"A call comes in" webhook to <url>/voice/incoming, its call status callback to <url>/events/call-status
and its "A message comes in" webhook to <url>/sms/incoming (all HTTP POST). A number whose voice goes
to a Studio flow keeps it. Without --apply nothing changes: it only prints the plan.

  --url     the service's base URL, as \`npm run deploy\` prints it
  --apply   make the changes`;

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Texts to a number in a Messaging Service's sender pool go to the service's inbound URL unless the
 * service defers to the number's own webhook ("Defer to sender's webhook" in the Console).
 */
async function messagingServiceNote(client: Twilio, sid: string, baseUrl: string): Promise<string> {
  try {
    const service = await client.messaging.v1.services(sid).fetch();
    if (service.useInboundWebhookOnNumber) return `✓ Messaging Service ${sid} hands incoming texts to each number's own webhook`;
    return `! Messaging Service ${sid} sends incoming texts to its own inbound URL (${service.inboundRequestUrl || 'none'}), not to ${baseUrl}/sms/incoming: in the Console, set its Integration to "Defer to sender's webhook"`;
  } catch (error) {
    return `! could not read Messaging Service ${sid} (${(error as Error).message}): check MESSAGING_SERVICE_SID`;
  }
}

export async function main(argv: readonly string[], context: CommandContext = {}): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { url: { type: 'string' }, apply: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
  });
  const write = context.write ?? stdoutLine;
  if (values.help) {
    write(HELP);
    return 0;
  }
  if (!values.url) throw new CommandError('--url is required: the service\'s base URL, e.g. --url https://ivr-escalation-1234-dev.twil.io (npm run deploy prints it)');
  let baseUrl: string;
  try {
    baseUrl = serviceBaseUrl(values.url);
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
  const { config } = loadSettings(context.projectDir, context.shell ?? process.env);
  const airtable = requireAirtable(config);
  const client = twilioClientFor(config, 15_000);
  if (!client) throw new CommandError('ACCOUNT_SID and AUTH_TOKEN not set: put them in .env (see .env.example) or in your shell');

  const lines = await airtableBase(airtable)('Lines').select({ fields: ['Name', 'Phone Number'] }).all();
  const lineNumbers: string[] = [];
  for (const line of lines) {
    const number = String(line.get('Phone Number') ?? '').trim();
    if (E164.test(number)) lineNumbers.push(number);
    else write(`! line ${String(line.get('Name') ?? line.id)}: Phone Number "${number}" is not E.164, skipped (npm run airtable:doctor)`);
  }
  const owned: OwnedNumber[] = await client.incomingPhoneNumbers.list();
  const plan = planNumberWiring(lineNumbers, owned, baseUrl);

  write(`${values.apply ? 'Connecting' : 'Dry run (add --apply to change):'} ${lineNumbers.length} line number(s) to ${baseUrl}`);
  for (const number of plan.alreadyConnected) write(`✓ ${number.phoneNumber} already connected`);
  for (const change of plan.toChange) {
    if (values.apply) await client.incomingPhoneNumbers(change.number.sid).update(change.update);
    write(`${values.apply ? '+ updated' : '~ would update'} ${change.number.phoneNumber} (${change.number.sid})`);
    for (const line of change.changes) write(`    ${line}`);
    for (const note of change.notes) write(`    note: ${note}`);
  }
  for (const number of plan.notOwned) {
    write(`! ${number} is a line but not a number of this account: left alone (a SIP line? point your SIP domain's voice URL at ${baseUrl}/voice/incoming)`);
  }
  if (config.messagingServiceSid) write(await messagingServiceNote(client, config.messagingServiceSid, baseUrl));
  const others = owned.length - plan.toChange.length - plan.alreadyConnected.length;
  if (others > 0) write(`· ${others} other number(s) of this account are not lines: not touched`);
  return 0;
}

if (require.main === module) runCommand('numbers:connect', () => main(process.argv.slice(2)));
