// The I/O floor of a webhook: a Function served by the same server that makes, one after the other,
// the round trips the webhook cannot avoid (`airtable`, `twilio`, `sendgrid`: how many to each
// emulator, from the query), through the npm clients our Functions use, and answers fixed TwiML.
// A webhook's time over this floor is what our code adds: parsing, deciding, rendering, and any
// round trip it makes beyond those.
// `Twilio` is the Functions runtime's global (declared for the linter in .oxlintrc.json).
const Airtable = require('airtable');
const twilio = require('twilio');
const { Client: SendGridClient } = require('@sendgrid/client');

const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello</Say></Response>';

async function times(count, trip) {
  for (let i = 0; i < count; i++) await trip();
}

module.exports.handler = async function handler(context, event, callback) {
  const n = (name) => Math.min(Math.max(Number.parseInt(event[name] ?? '0', 10) || 0, 0), 20);
  // One client of each per request, as our webhooks make them (with the same options).
  const base = new Airtable({ apiKey: context.AIRTABLE_API_KEY, endpointUrl: context.AIRTABLE_ENDPOINT_URL, noRetryIfRateLimited: true, requestTimeout: 3000 }).base(context.AIRTABLE_BASE_ID);
  await times(n('airtable'), () => base('Lines').select({ filterByFormula: `{Phone Number} = '${event.To ?? ''}'`, maxRecords: 1, pageSize: 1 }).firstPage());
  const rest = twilio(context.ACCOUNT_SID, context.AUTH_TOKEN, { autoRetry: false });
  await times(n('twilio'), () => rest.request({ method: 'get', uri: `${context.TWILIO_API_BASE_URL}/2010-04-01/Accounts/${context.ACCOUNT_SID}/Calls.json?PageSize=1` }));
  const mail = new SendGridClient();
  mail.setApiKey(context.SENDGRID_API_KEY);
  mail.setDefaultRequest('baseUrl', context.SENDGRID_API_BASE_URL);
  await times(n('sendgrid'), () => mail.request({ method: 'GET', url: '/__emulator/stats' }));
  const response = new Twilio.Response();
  response.appendHeader('Content-Type', 'text/xml');
  response.setBody(TWIML);
  callback(null, response);
};
