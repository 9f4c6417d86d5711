/**
 * The change feed as operations see it in `/metrics`, over HTTP with erpfront and the sandbox ERP
 * in their own processes: a price changed through the sandbox's control arrives as a signed
 * webhook and is counted as applied, with a lag of how late it arrived (small) and the time of
 * the last event; a replay is counted as a duplicate and a wrongly signed delivery as refused; a
 * change the ERP made long before it was delivered shows that lateness, and the next timely one
 * brings the lag back down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/redis.ts';
import { counter, startStack, type Stack } from '../support/stack.ts';
import { deliver, signedDelivery, webhookSecret } from '../support/webhooks.ts';

const secret = webhookSecret();
let stack: Stack;

beforeAll(async () => {
  const port = await freePort();
  stack = await startStack(
    { PORT: String(port), ERP_WEBHOOK_SECRET: secret },
    { sandboxEnv: { SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${port}/erp/events`, SANDBOX_WEBHOOK_SECRET: secret } },
  );
}, 60_000);
afterAll(() => stack?.close());

const events = (text: string, labels: Record<string, string>) => counter(text, 'erpfront_change_events_total', { source: 'push', ...labels });
const lag = (text: string) => text.match(/^erpfront_change_feed_lag_seconds\{source="push"\} (\S+)$/m)?.[1];
const lastEvent = (text: string) => Number(text.match(/^erpfront_change_feed_last_event_timestamp_seconds (\S+)$/m)?.[1]);

async function metricsWhen(done: (text: string) => boolean, withinMs = 3000): Promise<string> {
  const started = performance.now();
  for (;;) {
    const text = await stack.metrics();
    if (done(text)) return text;
    if (performance.now() - started > withinMs)
      throw new Error(
        `/metrics did not get there within ${withinMs} ms:\n${text
          .split('\n')
          .filter((l) => l.includes('change_'))
          .join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the change feed in /metrics', () => {
  it('nothing received yet: no lag, the last event at 0', async () => {
    const text = await stack.metrics();
    expect(text).toContain('# TYPE erpfront_change_feed_lag_seconds gauge');
    expect(lag(text)).toBeUndefined();
    expect(lastEvent(text)).toBe(0);
  });

  it("after the sandbox's signed webhook: counted as applied, the lag small, the last event now", async () => {
    const before = Date.now() / 1000;
    const response = await fetch(`${stack.sandbox.url}/__control/changes`, {
      method: 'POST',
      body: JSON.stringify({ type: 'price', sku: 'SKU-00001', priceListId: 'PL-OEM', unitPrice: '6.66' }),
    });
    expect(response.status).toBe(200);
    const text = await metricsWhen((t) => events(t, { type: 'price_list.changed', outcome: 'applied' }) === 1);
    expect(Number(lag(text))).toBeLessThan(2);
    expect(lastEvent(text)).toBeGreaterThanOrEqual(Math.floor(before));
    expect(lastEvent(text)).toBeLessThanOrEqual(Date.now() / 1000 + 1);
  });

  it('a replayed delivery is counted as a duplicate, a wrongly signed one as refused (its type unread: unknown)', async () => {
    const event = { type: 'stock.changed', data: { skus: ['SKU-00002'] } };
    const delivery = signedDelivery(secret, event);
    expect((await deliver(stack.erpfront.url, delivery)).body.status).toBe('accepted');
    expect((await deliver(stack.erpfront.url, delivery)).body.status).toBe('duplicate');
    expect((await deliver(stack.erpfront.url, signedDelivery(webhookSecret(), event))).status).toBe(401);
    const text = await stack.metrics();
    expect(events(text, { type: 'stock.changed', outcome: 'applied' })).toBe(1);
    expect(events(text, { type: 'stock.changed', outcome: 'duplicate' })).toBe(1);
    expect(events(text, { type: 'unknown', outcome: 'refused' })).toBe(1);
  });

  it('a change the ERP made 90 s before it arrived shows a lag of 90 s, until the next timely one', async () => {
    const late = { type: 'item.changed', timestamp: new Date(Date.now() - 90_000).toISOString(), data: { skus: ['SKU-00003'] } };
    expect((await deliver(stack.erpfront.url, signedDelivery(secret, late))).body.status).toBe('accepted');
    const text = await stack.metrics();
    expect(Number(lag(text))).toBeGreaterThanOrEqual(89);
    expect(Number(lag(text))).toBeLessThan(95);

    const timely = { type: 'item.changed', timestamp: new Date().toISOString(), data: { skus: ['SKU-00003'] } };
    expect((await deliver(stack.erpfront.url, signedDelivery(secret, timely))).body.status).toBe('accepted');
    expect(Number(lag(await stack.metrics()))).toBeLessThan(2);
  });
});
