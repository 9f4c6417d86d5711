/**
 * Tryton sends no webhooks: erpfront polls its change feed (records changed since a durable
 * cursor, by write_date / create_date) at the ERP budget's background priority. A price list line
 * and a credit limit changed through Tryton's own JSON-RPC (as its client does, as the admin)
 * show through erpfront within the poll interval + 1 s, although their cache entries are minutes
 * from expiring. Both as their own processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrytonConnector } from '../../src/adapters/erp/tryton/index.ts';
import { counter } from '../support/stack.ts';
import { startErpfrontOnTryton, startTryton, TRYTON_TEST_TIMEOUT_MS, TRYTON_USER, trytonAvailable, type RunningTryton } from '../support/tryton.ts';

const available = trytonAvailable('Tryton change feed');
const POLL_SECONDS = 2;
const PRICE = /* GraphQL */ `{ products(skus: ["SKU-1006"]) { price(quantity: 1) { unitPrice { amount } source } } }`;
const CREDIT = /* GraphQL */ `{ viewer { customer { creditStatus { limit { amount } } } } }`;

describe.skipIf(!available)('erpfront polls Tryton for changes', () => {
  let tryton: RunningTryton;
  let stack: Awaited<ReturnType<typeof startErpfrontOnTryton>>;
  let admin: ReturnType<typeof createTrytonConnector>;

  beforeAll(async () => {
    tryton = await startTryton();
    // Prices fresh for 5 minutes, credit for one: only the change feed can show a change sooner.
    stack = await startErpfrontOnTryton(tryton, {
      ERP_CHANGES_POLL_SECONDS: String(POLL_SECONDS),
      FRESHNESS_PRICES_SECONDS: '300',
      FRESHNESS_CREDIT_SECONDS: '60',
    });
    admin = createTrytonConnector({ url: tryton.url, username: 'admin', password: 'admin', timeoutMs: TRYTON_TEST_TIMEOUT_MS });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await tryton?.close();
  });

  /** Polls erpfront until `done`; the ms it took from `since`, or fails after the interval + 1 s. */
  async function seenWithin<T>(since: number, read: () => Promise<T>, done: (value: T) => boolean): Promise<number> {
    const limit = POLL_SECONDS * 1000 + 1000;
    for (;;) {
      const value = await read();
      const elapsed = performance.now() - since;
      if (done(value)) return elapsed;
      if (elapsed > limit) throw new Error(`not seen within ${limit} ms: ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a price list line changed in Tryton shows within the poll interval + 1 s', async () => {
    const token = await stack.buyerToken('GLOBEX');
    const price = async () => (await stack.graphql(PRICE, {}, token)).products[0].price;
    expect(await price()).toEqual({ unitPrice: { amount: '135.00' }, source: 'PRICE_LIST' });
    // Let the first poll store its cursor (it starts at Tryton's latest change).
    await new Promise((r) => setTimeout(r, POLL_SECONDS * 1000 + 500));

    const [line] = (await admin.rpc.model('test', 'product.price_list.line', 'search_read', [
      [
        ['price_list', '=', tryton.ids.price_list_id],
        ['formula', '=', '135.00'],
      ],
      0,
      1,
      null,
      ['id'],
    ])) as Array<{ id: number }>;
    const started = performance.now();
    await admin.rpc.model('test', 'product.price_list.line', 'write', [[line!.id], { formula: '131.50' }]);
    const ms = await seenWithin(started, price, (p) => p.unitPrice.amount === '131.50');
    console.log(`Tryton price list change visible through erpfront after ${ms.toFixed(0)} ms (poll every ${POLL_SECONDS} s)`);
  });

  it('a credit limit changed in Tryton shows within the poll interval + 1 s', async () => {
    const token = await stack.buyerToken('GLOBEX');
    const limit = async () => (await stack.graphql(CREDIT, {}, token)).viewer.customer.creditStatus.limit?.amount;
    expect(await limit()).toBe('5000.00');
    const started = performance.now();
    await admin.rpc.model('test', 'party.party', 'write', [[tryton.ids.customers.GLOBEX], { credit_limit_amount: { __class__: 'Decimal', decimal: '7500' } }]);
    await seenWithin(started, limit, (l) => l === '7500.00');
  });

  it("the connector's feed: each change once, new records by create_date, edits by write_date, a cursor that goes on", async () => {
    const feed = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: TRYTON_TEST_TIMEOUT_MS });
    // The first read after "now" may report the last seconds before it again (harmless: it only
    // drops cache entries); from its cursor on, each change comes once.
    const start = (await feed.changesSince(await feed.changeCursorNow(), 100)).cursor;
    expect(await feed.changesSince(start, 100)).toMatchObject({ changes: [], more: false });
    // A new line for one product (never edited: only create_date), then an edit of the list's
    // catch-all line (no product: the whole list may change).
    const [created] = (await admin.rpc.model('test', 'product.price_list.line', 'create', [
      [{ price_list: tryton.ids.price_list_id, product: tryton.ids.products['SKU-1001'], sequence: 5, formula: '10.00' }],
    ])) as number[];
    const first = await feed.changesSince(start, 100);
    expect(first.changes).toEqual([{ type: 'price_list.changed', data: { priceListId: String(tryton.ids.price_list_id), skus: ['SKU-1001'] } }]);
    const [catchAll] = (await admin.rpc.model('test', 'product.price_list.line', 'search_read', [
      [
        ['price_list', '=', tryton.ids.price_list_id],
        ['formula', '=', 'unit_price'],
      ],
      0,
      1,
      null,
      ['id'],
    ])) as Array<{ id: number }>;
    await admin.rpc.model('test', 'product.price_list.line', 'write', [[catchAll!.id], { formula: 'unit_price * 0.99' }]);
    const second = await feed.changesSince(first.cursor, 100);
    // Reported once: the new line is within the re-read window but already reported.
    expect(second.changes).toEqual([{ type: 'price_list.changed', data: { priceListId: String(tryton.ids.price_list_id) } }]);
    expect((await feed.changesSince(second.cursor, 100)).changes).toEqual([]);
    await admin.rpc.model('test', 'product.price_list.line', 'delete', [[created]]);
  });

  it('polls through the ERP budget at background priority', async () => {
    const metrics = await (await fetch(`${stack.erpfront.url}/metrics`, { headers: { authorization: `Bearer ${await stack.opsToken()}` } })).text();
    expect(counter(metrics, 'erpfront_erp_requests_total', { operation: 'changesSince', outcome: 'success' })).toBeGreaterThan(0);
    expect(counter(metrics, 'erpfront_erp_budget_wait_seconds_count', { priority: 'background' })).toBeGreaterThan(0);
  });

  it('/metrics counts the polled changes, and the lag stays within a poll interval while Tryton answers', async () => {
    const metrics = await (await fetch(`${stack.erpfront.url}/metrics`, { headers: { authorization: `Bearer ${await stack.opsToken()}` } })).text();
    const applied = (type: string) => counter(metrics, 'erpfront_change_events_total', { source: 'poll', type, outcome: 'applied' });
    expect(applied('price_list.changed')).toBeGreaterThan(0);
    expect(applied('customer.changed')).toBeGreaterThan(0);
    const lag = Number(metrics.match(/^erpfront_change_feed_lag_seconds\{source="poll"\} (\S+)$/m)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(0);
    // The interval plus about one poll's duration (eight models read at background priority:
    // seconds on a loaded machine), far under the alert's two minutes.
    expect(lag).toBeLessThan(POLL_SECONDS + 15);
    expect(counter(metrics, 'erpfront_change_feed_last_event_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 120);
  });
});
