/**
 * Orders while the ERP is down, then the drain when it returns:
 * - acceptance latency of placeOrder during the outage (p50/p99), answered QUEUED;
 * - drain throughput after recovery, as a fraction of the ERP budget (requests per second).
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../scripts/sign-token.ts';
import { PLACE_ORDER } from '../test/support/orders.ts';
import { freePort, pacedLoad, startServer } from './harness.ts';

export async function benchOrders(options: { orders: number; budgetRps: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'erpfront-bench-orders-'));
  const secret = randomBytes(32).toString('base64url');
  const [sandboxPort, erpfrontPort] = [await freePort(), await freePort()];
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const url = `http://127.0.0.1:${erpfrontPort}`;
  const children = [];
  try {
    children.push(await startServer(['src/entry/sandbox.ts'], { SANDBOX_PORT: String(sandboxPort) }, /127\.0\.0\.1/));
    children.push(
      await startServer(
        ['src/entry/node.ts'],
        {
          PORT: String(erpfrontPort),
          ERP_URL: sandboxUrl,
          AUTH_JWT_SECRET: secret,
          DATA_DIR: dir,
          // One caller flat out is a flood by design: throttling off, so this measures erpfront's own work.
          THROTTLE: 'off',
          ERP_REQUESTS_PER_SECOND: String(options.budgetRps),
          BREAKER_COOLDOWN_SECONDS: '1',
        },
        /GraphQL at/,
      ),
    );
    const token = await signToken({ secret, roles: ['buyer'], customerId: 'C0002' });
    const opsToken = await signToken({ secret, roles: ['ops'] }); // the readiness detail (queue depth)
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const post = (body: unknown) => fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify(body) }).then((r) => r.json());
    const control = (faults: unknown) => fetch(`${sandboxUrl}/__control/faults`, { method: 'POST', body: JSON.stringify(faults) });

    // The buyer browsed before the outage: account, item and price are cached.
    await post({ query: '{ viewer { customer { id } } products(skus: ["SKU-00001"]) { price { unitPrice { amount } } } }' });
    await control({ outage: true });
    // Orders on account: the credit decision and its atomic write are part of what is measured
    // (exposure is a running total, whatever the queue's length). C0002's credit covers them all.
    const input = { lines: [{ sku: 'SKU-00001', quantity: 1 }] };
    for (let i = 0; i < 10; i++) await post({ query: PLACE_ORDER, variables: { input } }); // trips the breaker
    const order = {
      url: `${url}/graphql`,
      method: 'POST' as const,
      headers,
      body: JSON.stringify({ query: PLACE_ORDER, variables: { input } }),
      connections: 10,
    };
    // Warm-up (not measured; the code is still being compiled), then a steady 100 orders/s (a
    // heavy B2B surge; one every 10 ms, each timed from its send: see pacedLoad), then as fast as
    // 10 connections go. Every order counts in the drain.
    const warmup = Math.min(200, Math.floor(options.orders / 5));
    await autocannon({ ...order, amount: warmup });
    const measured = options.orders - 10 - warmup;
    const steady = await pacedLoad(order.url, order, { perSecond: 100, amount: Math.floor(measured / 2), connections: 10 });
    const saturated = await autocannon({ ...order, amount: measured - Math.floor(measured / 2) });

    const recovered = performance.now();
    await control({ outage: false });
    let depth = Infinity;
    while (depth > 0) {
      await new Promise((r) => setTimeout(r, 50));
      depth = ((await (await fetch(`${url}/readyz`, { headers: { authorization: `Bearer ${opsToken}` } })).json()) as { orderQueue: { depth: number } })
        .orderQueue.depth;
    }
    const drainSeconds = (performance.now() - recovered) / 1000;
    const held = ((await (await fetch(`${sandboxUrl}/__control/orders`)).json()) as { orders: Array<{ externalRef: string; createdAt: string }> }).orders;
    const times = held.map((o) => Date.parse(o.createdAt)).sort((a, b) => a - b);
    const steadySeconds = (times.at(-1)! - times[0]!) / 1000;
    return {
      orders: held.length,
      distinctRefs: new Set(held.map((o) => o.externalRef)).size,
      steady,
      saturated: {
        p50: saturated.latency.p50,
        p99: saturated.latency.p99,
        rps: saturated.requests.total / saturated.duration,
        errors: saturated.errors + saturated.non2xx,
      },
      drainSeconds,
      drainRate: held.length / drainSeconds,
      steadyRate: (held.length - 1) / steadySeconds,
      budgetRps: options.budgetRps,
    };
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}
