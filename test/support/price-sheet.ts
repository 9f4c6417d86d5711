/**
 * The price sheet as the tests drive it: its gauges from `/metrics`, and an item no buyer has
 * viewed through erpfront (asked of the sandbox directly).
 */
import { counter } from './stack.ts';

/** A sheet that walks the sandbox's whole catalog in a second or two. */
export const FAST_SHEET = { PRICE_SHEET: 'on', PRICE_SHEET_INTERVAL_SECONDS: '0.05', PRICE_SHEET_CALLS_PER_TICK: '20', BREAKER_COOLDOWN_SECONDS: '1' };

/** The sheet's gauges in a `/metrics` text. */
export async function sheetGauges(metrics: () => Promise<string>) {
  const text = await metrics();
  return {
    customers: counter(text, 'erpfront_price_sheet_customers'),
    items: counter(text, 'erpfront_price_sheet_items'),
    coverage: counter(text, 'erpfront_price_sheet_coverage_ratio'),
    age: counter(text, 'erpfront_price_sheet_age_seconds'),
  };
}

/** A salable, unrestricted item far down the catalog with a USD list price, from `from` on. */
export async function unviewedItem(sandboxUrl: string, from = 4300): Promise<string> {
  const skus = Array.from({ length: 40 }, (_, i) => `SKU-${String(from + i).padStart(5, '0')}`);
  const items = (await (await fetch(`${sandboxUrl}/api/v1/items?ids=${skus.join(',')}`)).json()).value as Array<{
    sku: string;
    salable: boolean;
    restrictedToPriceLists: string[] | null;
  }>;
  const candidates = items.filter((item) => item.salable && item.restrictedToPriceLists === null).map((item) => item.sku);
  const priced = await fetch(`${sandboxUrl}/api/v1/prices/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ keys: candidates.map((sku) => ({ scope: 'list', scopeId: 'USD', sku })) }),
  });
  const withPrice = new Set(((await priced.json()).value as Array<{ sku: string }>).map((entry) => entry.sku));
  const sku = candidates.find((s) => withPrice.has(s));
  if (!sku) throw new Error(`no salable, priced item among ${skus[0]}..${skus.at(-1)}`);
  return sku;
}

/** The order the tests place while the ERP is down. */
export const sheetOrder = (sku: string, key: string) => ({ idempotencyKey: key, poNumber: 'PO-SHEET', lines: [{ sku, quantity: 2 }] });

export const PLACE_ORDER_PRICED = /* GraphQL */ `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id status lines { sku quantity unitPrice { amount } } } userErrors { code message } pricesAsOf pricesStale } }`;
