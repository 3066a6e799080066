// The I/O floor of a webhook: a Function served by the same server that makes, one after the other,
// the round trips the measured webhook made (`airtable`, `twilio`, `sendgrid`: how many to each
// emulator, from the query) and answers fixed TwiML. A webhook's time over this floor is what our
// code adds beyond waiting for its services: parsing, deciding, rendering.
/* global Twilio, fetch, Buffer */
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello</Say></Response>';

async function roundTrips(count, url, headers) {
  for (let i = 0; i < count; i++) {
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
  }
}

module.exports.handler = async function handler(context, event, callback) {
  const n = (name) => Math.min(Math.max(Number.parseInt(event[name] ?? '0', 10) || 0, 0), 20);
  await roundTrips(n('airtable'), `${context.AIRTABLE_ENDPOINT_URL}/v0/${context.AIRTABLE_BASE_ID}/Lines?maxRecords=1`, { authorization: `Bearer ${context.AIRTABLE_API_KEY}` });
  await roundTrips(n('twilio'), `${context.TWILIO_API_BASE_URL}/2010-04-01/Accounts/${context.ACCOUNT_SID}/Calls.json?PageSize=1`, {
    authorization: `Basic ${Buffer.from(`${context.ACCOUNT_SID}:${context.AUTH_TOKEN}`).toString('base64')}`,
  });
  await roundTrips(n('sendgrid'), `${context.SENDGRID_API_BASE_URL}/__emulator/stats`, {});
  const response = new Twilio.Response();
  response.appendHeader('Content-Type', 'text/xml');
  response.setBody(TWIML);
  callback(null, response);
};
