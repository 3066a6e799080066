import { DEFAULT_WEBHOOK_BUDGET_MS, readConfig } from '../../src/assets/shell/config.private';

test('a voice webhook answers well inside the 4 s SPEC promises, and cannot be configured past it', () => {
  expect(DEFAULT_WEBHOOK_BUDGET_MS).toBeLessThanOrEqual(3000);
  expect(readConfig({}).webhookBudgetMs).toBe(DEFAULT_WEBHOOK_BUDGET_MS);
  expect(readConfig({ WEBHOOK_BUDGET_SECONDS: '1' }).webhookBudgetMs).toBe(1000);
  expect(readConfig({ WEBHOOK_BUDGET_SECONDS: '10' }).webhookBudgetMs).toBeLessThan(4000);
  expect(readConfig({ WEBHOOK_BUDGET_SECONDS: 'soon' }).webhookBudgetMs).toBe(DEFAULT_WEBHOOK_BUDGET_MS);
});

test('blank variables count as unset', () => {
  const config = readConfig({ FALLBACK_TRANSFER_NUMBER: '  ', DEFAULT_TIMEZONE: '' });
  expect(config.fallbackTransferNumber).toBeUndefined();
  expect(config.defaultTimezone).toBe('America/New_York');
});
