/**
 * Prices from Tryton, as the port's scoped entries with quantity breaks.
 *
 * Tryton does not publish break tables: it computes a price for (price list, product, quantity)
 * from the price list's lines, the first matching line by sequence winning, a line matching from
 * its `quantity` on. So the breaks of a price list are found where its lines put them: the
 * distinct line quantities (and 0) are the only quantities at which any product's price can
 * change. The connector reads those thresholds, then computes `sale_price_uom` for the whole
 * batch once per threshold, with `price_list` and `quantity` in the context — the same
 * computation Tryton's sale line does. Consecutive thresholds with the same price collapse.
 *
 * - `priceList` (scope id: the price list id): as above; `2 + thresholds` calls per price list.
 * - `list` (scope id: a currency code): the product's sale price without a price list (its list
 *   price in the sale unit), one break from 0; `null` in any currency but the company's.
 * - `contract`: Tryton has no per-customer prices apart from the party's price list: `null`.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions, PriceEntry, PriceKey, QuantityBreak } from '../../../ports/erp-connector.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { decimal, id, normalizeDecimal, parseAnswer } from './values.ts';

const PriceRows = z.array(z.object({ id, code: z.string(), sale_price_uom: decimal.nullable() }));
const LineRows = z.array(z.object({ id, price_list: id, quantity: z.number().nullable() }));
const ListRows = z.array(z.object({ id }));

/** `getPrices`: one entry, `null` (no price in that scope) or error per key. */
export async function getPrices(rpc: TrytonRpc, keys: readonly PriceKey[], options?: ErpCallOptions): Promise<Array<PriceEntry | null | Error>> {
  if (keys.length === 0) return [];
  const operation = 'getPrices';
  const { currency } = await rpc.session(options);
  const found = new Map<string, PriceEntry>();

  const listSkus = unique(keys.filter((k) => k.scope === 'list' && k.scopeId === currency.code).map((k) => k.sku));
  const byPriceList = new Map<number, string[]>();
  for (const key of keys) {
    if (key.scope !== 'priceList' || !/^\d+$/.test(key.scopeId)) continue;
    const list = byPriceList.get(Number(key.scopeId)) ?? [];
    list.push(key.sku);
    byPriceList.set(Number(key.scopeId), list);
  }

  const priceAt = async (skus: string[], quantity: number, priceList: number | null) => {
    const context = priceList === null ? { quantity } : { quantity, price_list: priceList };
    const rows = parseAnswer(
      PriceRows,
      await rpc.model(
        operation,
        'product.product',
        'search_read',
        [[['code', 'in', skus]], 0, null, [['id', 'ASC']], ['code', 'sale_price_uom']],
        context,
        options,
      ),
      operation,
      `prices at quantity ${quantity}`,
    );
    const prices = new Map<string, string>();
    for (const row of rows) if (row.sale_price_uom !== null && !prices.has(row.code)) prices.set(row.code, normalizeDecimal(row.sale_price_uom));
    return prices;
  };

  const work: Array<Promise<void>> = [];
  if (listSkus.length > 0) {
    work.push(
      priceAt(listSkus, 0, null).then((prices) => {
        for (const [sku, unitPrice] of prices) {
          found.set(priceId('list', currency.code, sku), {
            sku,
            scope: 'list',
            scopeId: currency.code,
            currency: currency.code,
            breaks: [{ minQuantity: 0, unitPrice }],
          });
        }
      }),
    );
  }
  if (byPriceList.size > 0) {
    const listIds = [...byPriceList.keys()];
    work.push(
      (async () => {
        const [existing, lines] = await Promise.all([
          rpc.model(operation, 'product.price_list', 'search_read', [[['id', 'in', listIds]], 0, null, null, ['id']], {}, options),
          rpc.model(
            operation,
            'product.price_list.line',
            'search_read',
            [[['price_list', 'in', listIds]], 0, null, null, ['price_list', 'quantity']],
            {},
            options,
          ),
        ]);
        const known = new Set(parseAnswer(ListRows, existing, operation, 'price lists').map((r) => r.id));
        const lineRows = parseAnswer(LineRows, lines, operation, 'price list lines');
        await Promise.all(
          [...byPriceList]
            .filter(([listId]) => known.has(listId))
            .map(async ([listId, skus]) => {
              const thresholds = unique([0, ...lineRows.filter((l) => l.price_list === listId).map((l) => l.quantity ?? 0)]).sort((a, b) => a - b);
              const skuList = unique(skus);
              const tables = await Promise.all(thresholds.map((q) => priceAt(skuList, q, listId)));
              for (const sku of skuList) {
                const breaks: QuantityBreak[] = [];
                thresholds.forEach((minQuantity, i) => {
                  const unitPrice = tables[i]!.get(sku);
                  if (unitPrice === undefined || breaks.at(-1)?.unitPrice === unitPrice) return;
                  breaks.push({ minQuantity, unitPrice });
                });
                if (breaks.length > 0) {
                  const scopeId = String(listId);
                  found.set(priceId('priceList', scopeId, sku), { sku, scope: 'priceList', scopeId, currency: currency.code, breaks });
                }
              }
            }),
        );
      })(),
    );
  }
  await Promise.all(work);
  return keys.map((k) => found.get(priceId(k.scope, k.scopeId, k.sku)) ?? null);
}

function priceId(scope: string, scopeId: string, sku: string): string {
  return `${scope}\u0000${scopeId}\u0000${sku}`;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
