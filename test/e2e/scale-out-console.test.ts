/**
 * The ops console with two erpfront processes on one Redis: a session opened on one instance
 * works on the other (sessions are in the backends, not in a process), an action taken through
 * one is in the audit log every instance shows, and a logout on one ends the session on all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../support/orders.ts';
import { redisServerAvailable, startScaleOut, type ScaleOut } from '../support/redis.ts';

const available = redisServerAvailable('scale-out-console');
let scale: ScaleOut;

async function call(base: string, path: string, init: { cookie?: string; form?: Record<string, string> } = {}) {
  const response = await fetch(`${base}${path}`, {
    method: init.form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: { ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded', origin: base } : {}), ...(init.cookie ? { cookie: init.cookie } : {}) },
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
  });
  return { status: response.status, text: await response.text(), location: response.headers.get('location'), setCookie: response.headers.get('set-cookie') };
}

const csrfOf = (html: string) => html.match(/name="csrf" value="([^"]+)"/)?.[1] ?? '';

describe.skipIf(!available)('scale-out: ops console', () => {
  beforeAll(async () => {
    scale = await startScaleOut(2);
  }, 60_000);
  afterAll(() => scale?.close());

  it('a session from one instance works on the other; its action is audited for both; logout ends it on both', async () => {
    const [a, b] = scale.instances.map((p) => p.url) as [string, string];
    // Held for a credit review: C0005 orders more than its available credit.
    const token = await scale.buyerToken('C0005');
    const page = await scale
      .stack(0)
      .graphql(
        '{ viewer { customer { creditStatus { available { amount } } } } products(skus: ["SKU-00001"]) { price { unitPrice { amount } } } }',
        {},
        { token },
      );
    const quantity =
      Math.ceil(Number(page.body.data.viewer.customer.creditStatus.available.amount) / Number(page.body.data.products[0].price.unitPrice.amount)) + 1;
    const held = (await placeOrder(scale.stack(0), token, { lines: [{ sku: 'SKU-00001', quantity }] })).order!;
    expect(held.status).toBe('ON_HOLD');

    const login = await call(a, '/ops/login', { form: { token: await scale.opsToken() } });
    expect(login.status).toBe(303);
    const cookie = login.setCookie!.split(';')[0]!;

    const confirm = await call(b, `/ops/orders/${held.id}/release`, { cookie });
    expect(confirm.status).toBe(200);
    const released = await call(b, `/ops/orders/${held.id}/release`, { cookie, form: { csrf: csrfOf(confirm.text) } });
    expect([released.status, released.location]).toEqual([303, `/ops/orders/${held.id}?done=release`]);

    const onA = await call(a, `/ops/orders/${held.id}`, { cookie });
    expect(onA.text).toContain('order.release');
    expect(onA.text).toContain('Released: ON_HOLD → QUEUED.');

    const out = await call(b, '/ops/logout', { cookie, form: { csrf: csrfOf(onA.text) } });
    expect(out.status).toBe(303);
    expect((await call(a, '/ops', { cookie })).location).toBe('/ops/login');
  });

  it('while Redis is down a page is a 503 page saying so, never a 500; it works again once Redis is back', async () => {
    const a = scale.instances[0]!.url;
    const login = await call(a, '/ops/login', { form: { token: await scale.opsToken() } });
    const cookie = login.setCookie!.split(';')[0]!;
    await scale.redis.stop('SIGKILL');
    try {
      const down = await call(a, '/ops/audit', { cookie });
      expect(down.status).toBe(503);
      expect(down.text).toContain('CONSOLE_SESSIONS_UNAVAILABLE');
    } finally {
      await scale.redis.start();
    }
    let back = 0;
    for (let i = 0; i < 50 && back !== 200; i++) {
      back = (await call(a, '/ops/audit', { cookie })).status;
      if (back !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(back).toBe(200);
  });
});
