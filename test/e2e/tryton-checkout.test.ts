/**
 * The checkout preview against a real Tryton 6.0 (both in their own processes): the preview's
 * total is Tryton's own, tax included, and equals the total of the sale then placed with the same
 * input; the draft sale Tryton computed it on is gone afterwards, and no sale was confirmed by it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrytonConnector } from '../../src/adapters/erp/tryton/index.ts';
import { eventually } from '../support/orders.ts';
import { startErpfrontOnTryton, startTryton, TRYTON_USER, trytonAvailable, type RunningTryton, TRYTON_TEST_TIMEOUT_MS } from '../support/tryton.ts';

const available = trytonAvailable('Tryton checkout preview');

const PREVIEW = /* GraphQL */ `query($input: CheckoutInput!) { checkoutPreview(input: $input) {
  lines { sku quantity unitPrice { amount } availability { status promiseDate } }
  subtotal { amount currency } tax { amount } shipping { amount } total { amount currency } totalsUnavailable
  creditDecision { decision reason } approvalRequired stale asOf userErrors { code message field } } }`;
const PLACE = /* GraphQL */ `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status erpOrderNumber } userErrors { code message } } }`;
const ORDER = /* GraphQL */ `query($id: ID!) { order(id: $id) { status totals { subtotal { amount } tax { amount } shipping { amount } total { amount currency } } } }`;

describe.skipIf(!available)('checkout preview on Tryton', () => {
  let tryton: RunningTryton;
  let stack: Awaited<ReturnType<typeof startErpfrontOnTryton>>;
  /** Tryton's sales as its own client would list them: id, reference and state. */
  let sales: () => Promise<Array<{ id: number; reference: string | null; state: string }>>;

  beforeAll(async () => {
    tryton = await startTryton();
    stack = await startErpfrontOnTryton(tryton);
    const direct = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: TRYTON_TEST_TIMEOUT_MS });
    sales = async () =>
      (await direct.rpc.model('test', 'sale.sale', 'search_read', [[], 0, null, [['id', 'ASC']], ['reference', 'state']])) as Array<{
        id: number;
        reference: string | null;
        state: string;
      }>;
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await tryton?.close();
  });

  it("the preview's total is Tryton's, tax included, and the sale then placed has that total; no draft is left behind", async () => {
    const token = await stack.buyerToken('GLOBEX');
    const lines = [
      { sku: 'SKU-1001', quantity: 4 },
      { sku: 'SKU-1006', quantity: 1 },
    ];
    const before = await sales();
    const { checkoutPreview: seen } = await stack.graphql(PREVIEW, { input: { lines } }, token);
    expect(seen.userErrors).toEqual([]);
    expect(seen).toMatchObject({ stale: false, totalsUnavailable: null, shipping: { amount: '0.00' } });
    // The demo's 8 % sales tax, on Tryton's own rounding.
    expect(Number(seen.tax.amount)).toBeGreaterThan(0);
    expect(Number(seen.total.amount)).toBeCloseTo(Number(seen.subtotal.amount) * 1.08, 2);
    // Nothing left in Tryton: the same sales, in the same states.
    expect(await sales()).toEqual(before);

    const { placeOrder } = await stack.graphql(PLACE, { input: { idempotencyKey: 'tryton-preview-1', lines } }, token);
    expect(placeOrder.userErrors).toEqual([]);
    // Tryton takes a few seconds to quote and confirm: the order may answer QUEUED first.
    const { order } = await eventually(
      () => stack.graphql(ORDER, { id: placeOrder.order.id }, token),
      (answer) => answer.order.totals !== null,
      30_000,
      500,
    );
    expect(order.status).toBe('SUBMITTED');
    expect(order.totals).toEqual({ subtotal: { amount: seen.subtotal.amount }, tax: seen.tax, shipping: seen.shipping, total: seen.total });
    const after = await sales();
    expect(after.filter((s) => s.state === 'draft')).toEqual(before.filter((s) => s.state === 'draft'));
    expect(after.filter((s) => s.reference?.startsWith('erpfront-preview-'))).toEqual([]);
  });
});
