/**
 * ERP change events on Workers, over HTTP: the Worker of wrangler.toml (its CACHE_EVENTS log
 * object, the Cache API tier) in front of the sandbox ERP, which announces a price change as a
 * signed webhook to the Worker's `POST /erp/events`, as an ERP does. A buyer's repeated read is
 * served from the cache (the sandbox counts no new ERP call); after the change event the next
 * read shows the new price. Started as worker-read-path.test.ts starts it (one Worker per file).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../scripts/sign-token.ts';
import { startSandboxErp } from '../../src/sandbox-erp/server.ts';
import type { WebhookTarget } from '../../src/sandbox-erp/webhook-sender.ts';
import { webhookSecret } from '../support/webhooks.ts';

process.env.WRANGLER_SEND_METRICS = 'false';
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
process.env.CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV = 'false';
const { unstable_startWorker } = await import('wrangler');

const CONFIG = fileURLToPath(new URL('../../wrangler.toml', import.meta.url));
const PRICES = /* GraphQL */ `query ($skus: [ID!]!) { products(skus: $skus) { sku price { unitPrice { amount } source asOf } } }`;

describe('ERP change events on Workers: the sandbox announces, the Worker drops what changed', () => {
  const jwtSecret = randomBytes(32).toString('base64url');
  const hookSecret = webhookSecret();
  let target: WebhookTarget | null = null;
  let sandbox: Awaited<ReturnType<typeof startSandboxErp>>;
  let worker: Awaited<ReturnType<typeof unstable_startWorker>>;
  let base: URL;

  beforeAll(async () => {
    sandbox = await startSandboxErp({ port: 0, webhook: () => target });
    worker = await unstable_startWorker({
      config: CONFIG,
      envFiles: ['.env.none-for-tests'],
      bindings: {
        ERP_URL: { type: 'plain_text', value: sandbox.url },
        AUTH_JWT_SECRET: { type: 'secret_text', value: jwtSecret },
        ERP_WEBHOOK_SECRET: { type: 'secret_text', value: hookSecret },
      },
      dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist: false, watch: false, logLevel: 'warn' },
    });
    await worker.ready;
    base = await worker.url;
    target = { url: new URL('/erp/events', base).href, secret: hookSecret };
  });

  afterAll(async () => {
    await worker?.dispose();
    await sandbox?.close();
  });

  const control = async (path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.url}/__control/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return (await response.json()) as any;
  };
  const getPrices = async (): Promise<number> => (await control('stats')).byOperation.getPrices ?? 0;
  const price = async (customerId: string, sku: string) => {
    const token = await signToken({ secret: jwtSecret, roles: ['buyer'], customerId });
    const response = await fetch(new URL('/graphql', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: PRICES, variables: { skus: [sku] } }),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    return body.data.products[0].price as { unitPrice: { amount: string }; source: string; asOf: string };
  };

  it('a cached price is served without the ERP; after a price change event the next read shows the new price', async () => {
    const first = await price('C0002', 'SKU-00001');
    const calls = await getPrices();
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(first.unitPrice.amount).not.toBe('7.77');
    // From the cache: the same answer, and no ERP call.
    expect(await price('C0002', 'SKU-00001')).toEqual(first);
    expect(await getPrices()).toBe(calls);

    await control('changes', { type: 'price', sku: 'SKU-00001', priceListId: 'PL-OEM', unitPrice: '7.77' });
    // The sandbox sends the webhook on its own; the Worker accepts it once it has dropped the
    // entries and appended the invalidation to the CACHE_EVENTS log (a failed append is a 5xx).
    const started = performance.now();
    for (;;) {
      const webhooks = await control('webhooks');
      expect(webhooks.failed).toBe(0);
      if (webhooks.delivered >= 1 && webhooks.queued === 0) break;
      if (performance.now() - started > 5000) throw new Error(`webhook not delivered: ${JSON.stringify(webhooks)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const after = await price('C0002', 'SKU-00001');
    expect(after).toMatchObject({ unitPrice: { amount: '7.77' }, source: 'PRICE_LIST' });
    expect(await getPrices()).toBe(calls + 1);
    // And cached again.
    expect(await price('C0002', 'SKU-00001')).toEqual(after);
    expect(await getPrices()).toBe(calls + 1);
  });
});
