import { DEFAULT_DISPATCH_SETTLE_MS, DEFAULT_WEBHOOK_BUDGET_MS, readConfig } from '../../src/assets/shell/config.private';
import { functionUrl } from '../../src/assets/core/urls.private';

test('a voice webhook answers well inside the 4 s SPEC promises, and cannot be configured past it', () => {
  expect(DEFAULT_WEBHOOK_BUDGET_MS).toBeLessThanOrEqual(3000);
  expect(readConfig({}).webhookBudgetMs).toBe(DEFAULT_WEBHOOK_BUDGET_MS);
  expect(readConfig({ WEBHOOK_BUDGET_SECONDS: '1' }).webhookBudgetMs).toBe(1000);
  expect(readConfig({ WEBHOOK_BUDGET_SECONDS: '10' }).webhookBudgetMs).toBeLessThan(4000);
  expect(readConfig({ WEBHOOK_BUDGET_SECONDS: 'soon' }).webhookBudgetMs).toBe(DEFAULT_WEBHOOK_BUDGET_MS);
});

test('the dispatcher\'s claim settles 2 s unless told less; never more, which its rounds are not sized for', () => {
  expect(readConfig({}).dispatchSettleMs).toBe(DEFAULT_DISPATCH_SETTLE_MS);
  expect(DEFAULT_DISPATCH_SETTLE_MS).toBe(2000);
  expect(readConfig({ DISPATCH_SETTLE_SECONDS: '0.3' }).dispatchSettleMs).toBe(300);
  expect(readConfig({ DISPATCH_SETTLE_SECONDS: '5' }).dispatchSettleMs).toBe(DEFAULT_DISPATCH_SETTLE_MS);
  expect(readConfig({ DISPATCH_SETTLE_SECONDS: 'soon' }).dispatchSettleMs).toBe(DEFAULT_DISPATCH_SETTLE_MS);
});

test("Airtable requests are paced to Airtable's 5 a second unless told less; 0 turns pacing off, more is not allowed", () => {
  expect(readConfig({}).airtable.requestsPerSecond).toBe(5);
  expect(readConfig({ AIRTABLE_REQUESTS_PER_SECOND: '2' }).airtable.requestsPerSecond).toBe(2);
  expect(readConfig({ AIRTABLE_REQUESTS_PER_SECOND: '0' }).airtable.requestsPerSecond).toBe(0);
  expect(readConfig({ AIRTABLE_REQUESTS_PER_SECOND: '50' }).airtable.requestsPerSecond).toBe(5);
  expect(readConfig({ AIRTABLE_REQUESTS_PER_SECOND: 'fast' }).airtable.requestsPerSecond).toBe(5);
});

test('blank variables count as unset', () => {
  const config = readConfig({ FALLBACK_TRANSFER_NUMBER: '  ', DEFAULT_TIMEZONE: '' });
  expect(config.fallbackTransferNumber).toBeUndefined();
  expect(config.defaultTimezone).toBe('America/New_York');
});

describe('functionUrl', () => {
  test.each<[string | undefined, string | undefined]>([
    ['ivr-1234-dev.twil.io', 'https://ivr-1234-dev.twil.io/events/message-status?CallSid=CA1'],
    ['localhost:3000', 'http://localhost:3000/events/message-status?CallSid=CA1'],
    ['127.0.0.1:3000', 'http://127.0.0.1:3000/events/message-status?CallSid=CA1'],
    [undefined, undefined],
    ['evil.example/path?x=', undefined],
  ])('DOMAIN_NAME %s', (domain, url) => {
    expect(functionUrl(readConfig(domain ? { DOMAIN_NAME: domain } : {}), '/events/message-status?CallSid=CA1')).toBe(url);
  });
});
