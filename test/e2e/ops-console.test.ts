/**
 * The ops console at /ops, over HTTP as a browser uses it: the login exchanges an ops token for a
 * session cookie (HttpOnly, SameSite=Strict, Path=/ops); pages need the session; every action
 * needs the session's CSRF token and the same origin, and is written to the audit log. Then the
 * whole loop in headless Chromium: log in, see a dead letter, replay it after confirming, see it
 * leave the list and the audit entry appear.
 *
 * With CONSOLE_SCREENSHOTS=1 (`npm run console:screenshots`), the browser test also saves a
 * screenshot of each page under docs/console/ (the README links them).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderStatus, placeOrder, queue } from '../support/orders.ts';
import { signToken } from '../../scripts/sign-token.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
let base: string;

beforeAll(async () => {
  // Reconciliation on demand only, and checking orders submitted more than a second ago.
  stack = await startStack({ ERP_TIMEOUT_MS: '1000', ERP_MAX_REQUEST_SECONDS: '1', RECONCILE_EVERY_MINUTES: '0' });
  base = stack.erpfront.url;
});

afterAll(async () => {
  await stack?.close();
});

interface Answer {
  status: number;
  text: string;
  location: string | null;
  setCookie: string | null;
}

async function request(
  path: string,
  init: { cookie?: string; form?: Record<string, string>; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const body = init.form ? new URLSearchParams(init.form).toString() : init.body;
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    redirect: 'manual',
    headers: {
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded', origin: base } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    body,
  });
  return { status: response.status, text: await response.text(), location: response.headers.get('location'), setCookie: response.headers.get('set-cookie') };
}

/** Logs in with `token`; the session cookie (`name=value`) and the answer. */
async function login(token: string): Promise<{ cookie: string; answer: Answer }> {
  const answer = await request('/ops/login', { form: { token } });
  const cookie = answer.setCookie?.split(';')[0] ?? '';
  return { cookie, answer };
}

const csrfOf = (html: string) => html.match(/name="csrf" value="([^"]+)"/)?.[1] ?? '';

/** An order the ERP refused: a dead letter. */
async function deadLetter(): Promise<string> {
  await stack.faults({ rejectNext: { count: 1, reason: 'BLOCKED_ITEM' } });
  const result = await placeOrder(stack, await stack.buyerToken('C0001'), { lines: [{ sku: 'SKU-00006', quantity: 1 }] });
  expect(result.order?.status).toBe('REJECTED');
  return result.order!.id;
}

describe('ops console over HTTP', () => {
  it('without a session every page sends the browser to the login page; the login page and assets need none', async () => {
    for (const path of ['/ops', '/ops/orders', '/ops/orders/ord_x', '/ops/orders/ord_x/replay', '/ops/reconciliation', '/ops/audit']) {
      const answer = await request(path);
      expect([path, answer.status, answer.location]).toEqual([path, 303, '/ops/login']);
    }
    expect([(await request('/ops/')).status, (await request('/ops/')).location]).toEqual([301, '/ops']);
    const page = await request('/ops/login');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<label for="token">Ops token</label>');
    expect((await request('/ops/assets/console.css')).status).toBe(200);
    // A cookie of a session that does not exist is no session.
    expect((await request('/ops', { cookie: `erpfront_ops=${'a'.repeat(43)}` })).location).toBe('/ops/login');
  });

  it('refuses a buyer token (403) and a bad token (401) at login, with a page saying why and no cookie', async () => {
    const buyer = await login(await stack.buyerToken('C0001'));
    expect(buyer.answer.status).toBe(403);
    expect(buyer.answer.setCookie).toBeNull();
    expect(buyer.answer.text).toContain('needs a token with the ops role');
    const forged = await login(`${(await stack.opsToken()).slice(0, -4)}AAAA`);
    expect(forged.answer.status).toBe(401);
    expect(forged.answer.setCookie).toBeNull();
    const empty = await request('/ops/login', { form: { token: '' } });
    expect(empty.status).toBe(400);
  });

  it('exchanges an ops token for an opaque HttpOnly, SameSite=Strict session cookie on /ops; the token is in no URL and no page', async () => {
    const token = await stack.opsToken();
    const { cookie, answer } = await login(token);
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/ops');
    const attributes = answer.setCookie!.split(';').map((part) => part.trim());
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/ops']));
    expect(attributes).not.toContain('Secure'); // plain http here; Secure over https (and behind a TLS proxy)
    const id = cookie.split('=')[1]!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(answer.setCookie).not.toContain(token);
    for (const path of ['/ops', '/ops/orders', '/ops/reconciliation', '/ops/audit']) {
      const page = await request(path, { cookie });
      expect([path, page.status]).toEqual([path, 200]);
      expect(page.text).not.toContain(token);
      expect(page.text).not.toContain(token.split('.')[1]!); // not even its claims
    }
    const overview = await request('/ops', { cookie });
    expect(overview.text).toContain('ERP health');
    expect(overview.text).toContain('Order queue');
    // Panels of features that do not report on this deployment say so.
    expect(overview.text).toMatch(/Not reported|Last event/);
  });

  it('refuses a POST without the CSRF token, with a wrong one, or from another origin (403), and changes nothing', async () => {
    const id = await deadLetter();
    const { cookie } = await login(await stack.opsToken());
    const csrf = csrfOf((await request(`/ops/orders/${id}/replay`, { cookie })).text);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const attempts: Answer[] = [
      await request(`/ops/orders/${id}/replay`, { cookie, form: {} }),
      await request(`/ops/orders/${id}/replay`, { cookie, form: { csrf: `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` } }),
      await request(`/ops/orders/${id}/replay`, { cookie, form: { csrf }, headers: { origin: 'https://evil.example' } }),
      await request(`/ops/orders/${id}/replay`, { cookie, form: { csrf }, headers: { 'sec-fetch-site': 'cross-site' } }),
      await request(`/ops/orders/${id}/replay`, { form: { csrf } }), // no session
    ];
    expect(attempts.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    expect(attempts[1]!.text).toContain('Nothing was done');
    expect(await orderStatus(stack, await stack.buyerToken('C0001'), id)).toMatchObject({ status: 'REJECTED' });
    expect((await request(`/ops/orders/${id}`, { cookie })).text).toContain('No operations action on this order yet.');
    // Another session's token is not this session's.
    const other = await login(await stack.opsToken());
    expect((await request(`/ops/orders/${id}/replay`, { cookie: other.cookie, form: { csrf } })).status).toBe(403);
  });

  it('answers bad input with a 4xx page, never a 500', async () => {
    const { cookie } = await login(await stack.opsToken());
    const csrf = csrfOf((await request('/ops', { cookie })).text);
    const answers = {
      unknownOrder: (await request('/ops/orders/ord_nope', { cookie })).status,
      hugeId: (await request(`/ops/orders/${'x'.repeat(5000)}`, { cookie })).status,
      unknownAction: (await request('/ops/orders/ord_nope/explode', { cookie })).status,
      postUnknownOrder: (await request('/ops/orders/ord_nope/replay', { cookie, form: { csrf } })).status,
      postUnknownAction: (await request('/ops/orders/ord_nope/explode', { cookie, form: { csrf } })).status,
      notAForm: (await request('/ops/orders/ord_nope/replay', { cookie, body: '{"csrf":"x"}', headers: { 'content-type': 'application/json', origin: base } }))
        .status,
      tooLarge: (await request('/ops/login', { form: { token: 'x'.repeat(40_000) } })).status,
      badPercent: (await request('/ops/login', { body: 'token=%E0%A4%A', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base } }))
        .status,
    };
    expect(answers).toEqual({
      unknownOrder: 404,
      hugeId: 404,
      unknownAction: 404,
      postUnknownOrder: 404,
      postUnknownAction: 404,
      notAForm: 415,
      tooLarge: 413,
      badPercent: 401,
    });
  });

  it('audits replayOrder through GraphQL too: the entry shows on the order page and in the audit log', async () => {
    const id = await deadLetter();
    const replay = await stack.graphql('mutation($id: ID!) { replayOrder(id: $id) { order { status } } }', { id }, { token: await stack.opsToken() });
    expect(replay.body.data.replayOrder.order.status).toBe('QUEUED');
    const { cookie } = await login(await stack.opsToken());
    const orderPage = (await request(`/ops/orders/${id}`, { cookie })).text;
    expect(orderPage).toContain('order.replay');
    expect(orderPage).toContain('Replayed: REJECTED → QUEUED.');
    expect(orderPage).toContain('ops@erpfront');
    expect((await request('/ops/audit', { cookie })).text).toContain(id);
  });

  it("audits operators' decisions on company applications and every change to a company's buyers", async () => {
    const ops = await stack.opsToken();
    const applicant = await signToken({ secret: stack.secret, roles: ['applicant'], subject: 'audit-applicant@example.com' });
    const register = await stack.graphql(
      `mutation ($input: RegisterCompanyInput!) { registerCompany(input: $input) { application { id } userErrors { code } } }`,
      {
        input: {
          companyName: 'Audited Widgets LLC',
          taxId: 'AUD-123',
          addresses: [{ name: 'Office', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }],
          contact: { name: 'Ada Audit', email: 'ada@audited.example' },
        },
      },
      { token: applicant },
    );
    const applicationId = register.body.data.registerCompany.application.id as string;
    const reject = (id: string) =>
      stack.graphql('mutation ($id: ID!) { rejectCompanyApplication(id: $id, reason: "No such company.") { userErrors { code } } }', { id }, { token: ops });
    expect((await reject(applicationId)).body.data.rejectCompanyApplication.userErrors).toEqual([]);
    // Deciding twice is refused, and the refusal is on record too.
    expect((await reject(applicationId)).body.data.rejectCompanyApplication.userErrors).toEqual([{ code: 'INVALID_APPLICATION_STATE' }]);
    const designate = await stack.graphql(
      'mutation { setCompanyBuyer(input: { subject: "boss@c0003", roles: [ADMIN, BUYER], orderLimit: "2500" }) { userErrors { code } } }',
      {},
      { token: ops, headers: { 'x-customer-id': 'C0003' } },
    );
    expect(designate.body.data.setCompanyBuyer.userErrors).toEqual([]);

    const { cookie } = await login(ops);
    const audit = (await request('/ops/audit', { cookie })).text;
    expect(audit).toContain('companyApplication.reject');
    expect(audit).toContain(applicationId);
    expect(audit).toContain('Audited Widgets LLC: SUBMITTED → REJECTED');
    expect(audit).toContain('Audited Widgets LLC: the application is REJECTED');
    expect(audit).toContain('company.manageBuyers');
    expect(audit).toContain('C0003/boss@c0003');
    expect(audit).toContain('not listed → ADMIN+BUYER, order limit 2500, monthly limit none');
  });

  it('audits runReconciliation (GraphQL) and POST /ops/invalidate too', async () => {
    const ops = await stack.opsToken();
    const run = await stack.graphql('mutation { runReconciliation { ran } }', {}, { token: ops });
    expect(run.body.data.runReconciliation.ran).toBe(true);
    const invalidate = await fetch(`${base}/ops/invalidate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ops}`, 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'prices', keys: ['list:USD:SKU-00001'] }),
    });
    expect(invalidate.status).toBe(200);
    const { cookie } = await login(ops);
    const audit = (await request('/ops/audit', { cookie })).text;
    expect(audit).toContain('reconciliation.run');
    expect(audit).toContain('ops.invalidate');
    expect(audit).toContain('Dropped 1 cache keys in prices on every instance.');
  });

  it('lists the errors callers were told, with their request ids, and no internal address', async () => {
    await stack.faults({ outage: true });
    try {
      const answer = await stack.graphql(
        '{ products(skus: ["SKU-00077"]) { sku price { unitPrice { amount } } } }',
        {},
        { headers: { 'x-request-id': 'console-test-0001' } },
      );
      expect(answer.body.errors[0].extensions.code).toBe('ERP_UNAVAILABLE');
    } finally {
      await stack.faults({ outage: false });
    }
    const { cookie } = await login(await stack.opsToken());
    const overview = (await request('/ops', { cookie })).text;
    const errors = overview.slice(overview.indexOf('Recent errors'));
    expect(errors).toContain('console-test-0001');
    expect(errors).toContain('ERP_UNAVAILABLE');
    expect(errors).toContain('<code>products');
    expect(overview).not.toContain(stack.sandbox.url);
    expect(overview).not.toMatch(/127\.0\.0\.1:\d+/);
  });

  it('logout ends the session everywhere: the same cookie then gets the login page', async () => {
    const { cookie } = await login(await stack.opsToken());
    const csrf = csrfOf((await request('/ops', { cookie })).text);
    const out = await request('/ops/logout', { cookie, form: { csrf } });
    expect(out.status).toBe(303);
    expect(out.setCookie).toContain('Max-Age=0');
    expect((await request('/ops', { cookie })).location).toBe('/ops/login');
  });
});

/** Debian's Chromium; a laptop without it skips loudly, CI fails. */
function browserOrSkip(): string | null {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  if (process.env.CI === 'true') throw new Error('Chromium is missing (/usr/bin/chromium): .ci/run installs it; CI never skips the browser test.');
  console.warn('\n*** SKIPPED the ops console browser test: no /usr/bin/chromium (apt-get install chromium) ***\n');
  return null;
}

const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === '1' ? join(import.meta.dirname, '../../docs/console') : null;

/** An order held for a credit review: C0005 orders more than its available credit. */
async function heldOrder(): Promise<string> {
  const token = await stack.buyerToken('C0005');
  const page = await stack.graphql(
    '{ viewer { customer { creditStatus { available { amount } } } } products(skus: ["SKU-00001"]) { price { unitPrice { amount } } } }',
    {},
    { token },
  );
  const available = Number(page.body.data.viewer.customer.creditStatus.available.amount);
  const unit = Number(page.body.data.products[0].price.unitPrice.amount);
  const result = await placeOrder(stack, token, { poNumber: 'PO-HOLD', lines: [{ sku: 'SKU-00001', quantity: Math.ceil(available / unit) + 1 }] });
  expect(result.order?.status).toBe('ON_HOLD');
  return result.order!.id;
}

describe('ops console in headless Chromium', () => {
  it('log in, see a dead letter, replay it after confirming, see it leave the list and the audit entry appear', { timeout: 120_000 }, async () => {
    const chromium = browserOrSkip();
    if (!chromium) return;
    const id = await deadLetter();
    if (SCREENSHOTS) await heldOrder();
    // An operator of its own, so the audit rows this test looks for are its own.
    const token = await signToken({ secret: stack.secret, roles: ['ops'], subject: 'ops-browser@example.com' });
    const { chromium: launcher } = await import('playwright-core');
    const browser = await launcher.launch({
      executablePath: chromium,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const urls: string[] = [];
      const outside: string[] = [];
      page.on('request', (r) => {
        urls.push(r.url());
        if (!r.url().startsWith(base)) outside.push(r.url());
      });
      const shot = async (name: string) => {
        if (!SCREENSHOTS) return;
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      };

      await page.goto(`${base}/ops`);
      expect(new URL(page.url()).pathname).toBe('/ops/login');
      await shot('login');
      // Keyboard only: the label names the field, Tab reaches the button.
      await page.getByLabel('Ops token').fill(token);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${base}/ops`);
      await expect.poll(() => page.getByRole('heading', { name: 'ERP health' }).isVisible()).toBe(true);

      await page.getByRole('link', { name: 'Orders', exact: true }).click();
      const deadLetters = page.getByRole('table', { name: /Dead letters/ });
      await expect.poll(() => deadLetters.getByRole('link', { name: id, exact: true }).count()).toBe(1);
      await shot('orders');

      await deadLetters
        .getByRole('row', { name: new RegExp(id) })
        .getByRole('link', { name: `Replay order ${id}` })
        .click();
      await expect.poll(() => page.getByRole('heading', { name: `Replay order ${id}?` }).isVisible()).toBe(true);
      await shot('confirm');
      await page.getByRole('button', { name: `Yes, replay order ${id}` }).click();

      await page.waitForURL(new RegExp(`/ops/orders/${id}\\?done=replay$`));
      expect(await page.getByRole('status').textContent()).toContain(`Order ${id} replayed`);
      const trail = page.getByRole('region', { name: 'Audit trail of this order' });
      await expect.poll(() => trail.getByRole('row', { name: /order\.replay/ }).count()).toBe(1);
      expect(await trail.textContent()).toContain('ops-browser@example.com');
      expect(await trail.textContent()).toContain('Done');
      // The ERP takes it now: it reaches SUBMITTED (the order page refreshes itself).
      await expect.poll(async () => (await orderStatus(stack, await stack.buyerToken('C0001'), id))?.status, { timeout: 20_000 }).toBe('SUBMITTED');
      await page.reload();
      await shot('order');

      await page.getByRole('link', { name: 'Orders', exact: true }).click();
      await expect.poll(() => page.getByRole('heading', { name: /Dead letters/ }).isVisible()).toBe(true);
      expect(await page.getByText(id).count()).toBe(0);

      // Drift: the ERP loses the order; reconciliation, run from the console, finds it and queues it again.
      expect((await fetch(`${stack.sandbox.url}/__control/orders/${id}`, { method: 'DELETE' })).ok).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // past the ERP's request limit
      await page.getByRole('link', { name: 'Reconciliation', exact: true }).click();
      await page.getByRole('link', { name: 'Run reconciliation now' }).click();
      await page.getByRole('button', { name: 'Yes, run it now' }).click();
      await page.waitForURL(/\/ops\/reconciliation\?done=run$/);
      const finding = page.getByRole('row', { name: new RegExp(`missing in erp.*${id}`) });
      await expect.poll(() => finding.count()).toBe(1);
      await shot('reconciliation');

      if (SCREENSHOTS) {
        // An error for the overview's panel: the ERP is down and an item nobody viewed is asked for.
        await stack.faults({ outage: true });
        await stack.graphql('{ products(skus: ["SKU-00042"]) { sku price { unitPrice { amount } } } }');
        await stack.faults({ outage: false });
        await page.getByRole('link', { name: 'Overview', exact: true }).click();
        await expect.poll(() => page.getByRole('heading', { name: 'Recent errors (this instance)' }).isVisible()).toBe(true);
        await shot('overview');
      }

      await page.getByRole('link', { name: 'Audit log', exact: true }).click();
      const entry = page.getByRole('row', { name: new RegExp(`order\\.replay.*${id}`) });
      await expect.poll(() => entry.count()).toBe(1);
      expect(await page.getByRole('row', { name: /ops-browser@example\.com reconciliation\.run.*Done/ }).count()).toBe(1);
      await shot('audit');

      expect(outside).toEqual([]);
      for (const url of urls) expect(url).not.toContain(token);
      expect((await queue(stack, ['REJECTED'])).map((o) => o.id)).not.toContain(id);
    } finally {
      await browser.close();
    }
  });
});
