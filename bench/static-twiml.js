// The benchmark's baseline: a Function that does no work at all, answered exactly the way our
// webhooks answer (a plain Twilio.Response with an XML body), so that the ratio measures our handlers.
// `Twilio` is the Functions runtime's global (declared for the linter in .oxlintrc.json).
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello</Say></Response>';

module.exports.handler = function handler(_context, _event, callback) {
  const response = new Twilio.Response();
  response.appendHeader('Content-Type', 'text/xml');
  response.setBody(TWIML);
  callback(null, response);
};
