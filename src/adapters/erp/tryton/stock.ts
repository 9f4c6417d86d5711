/**
 * Stock per warehouse from Tryton. For a batch of SKUs:
 * 1. the warehouses (`stock.location` of type `warehouse`; its code is the port's warehouse code);
 * 2. per warehouse, on hand: the products' `quantity` with `locations: [warehouse]` in the
 *    context (done moves up to today, in the product's default unit) — one call per warehouse;
 * 3. in the same round, the planned moves (`draft`, `assigned`, `staging`) of these products:
 *    a move leaving a warehouse is stock reserved for a sale or transfer, a move entering one is
 *    an incoming receipt on its planned date. Moves within one warehouse (storage → output)
 *    change nothing. This is Tryton's own forecast (`forecast_quantity`), itemised by date.
 *
 * Not mapped (Tryton 6.0 keeps them in modules erpfront does not require): safety stock (order
 * points, `stock_supply`) is 0, and the lead time (supplier lead times, `purchase`) is `null`.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions, StockRecord, WarehouseStock } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { date, id, parseAnswer, quantity, related } from './values.ts';

const WarehouseRows = z.array(z.object({ id, code: z.string().nullable(), name: z.string() }));
const QuantityRows = z.array(z.object({ id, code: z.string(), quantity: quantity.nullable() }));
const MoveRows = z.array(
  z.object({
    id,
    internal_quantity: quantity.nullable(),
    planned_date: date.nullable(),
    'product.': related({ code: z.string().nullable() }),
    'from_location.': related({ warehouse: id.nullable() }),
    'to_location.': related({ warehouse: id.nullable() }),
  }),
);

/** `getStock`: one record per SKU; a code Tryton does not know is `ERP_NOT_FOUND`. */
export async function getStock(rpc: TrytonRpc, skus: readonly string[], options?: ErpCallOptions): Promise<Array<StockRecord | Error>> {
  const operation = 'getStock';
  const codes = [...new Set(skus)].filter((s) => s !== '');
  const found = new Map<string, StockRecord>();
  if (codes.length > 0) {
    const warehouses = parseAnswer(
      WarehouseRows,
      await rpc.model(operation, 'stock.location', 'search_read', [[['type', '=', 'warehouse']], 0, null, [['id', 'ASC']], ['code', 'name']], {}, options),
      operation,
      'warehouses',
    );
    const byCode = [['code', 'in', codes]];
    const [onHand, moves, known] = await Promise.all([
      Promise.all(
        warehouses.map(async (w) =>
          parseAnswer(
            QuantityRows,
            await rpc.model(
              operation,
              'product.product',
              'search_read',
              [byCode, 0, null, [['id', 'ASC']], ['code', 'quantity']],
              { locations: [w.id] },
              options,
            ),
            operation,
            `quantities in warehouse ${w.code ?? w.id}`,
          ),
        ),
      ),
      rpc.model(
        operation,
        'stock.move',
        'search_read',
        [
          [
            ['product.code', 'in', codes],
            ['state', 'in', ['draft', 'assigned', 'staging']],
          ],
          0,
          null,
          [
            ['planned_date', 'ASC'],
            ['id', 'ASC'],
          ],
          ['internal_quantity', 'planned_date', 'product.code', 'from_location.warehouse', 'to_location.warehouse'],
        ],
        {},
        options,
      ),
      // Without warehouses, the products still say which SKUs exist.
      warehouses.length > 0 ? Promise.resolve(null) : rpc.model(operation, 'product.product', 'search_read', [byCode, 0, null, null, ['code']], {}, options),
    ]);
    const moveRows = parseAnswer(MoveRows, moves, operation, 'planned moves');
    const exists = new Set(
      (known === null ? (onHand[0] ?? []) : parseAnswer(QuantityRows.element.pick({ id: true, code: true }).array(), known, operation, 'products')).map(
        (r) => r.code,
      ),
    );
    const today = new Date().toISOString().slice(0, 10);
    for (const code of exists) {
      const stocks: WarehouseStock[] = warehouses.map((w, i) => {
        const here = onHand[i]!.find((r) => r.code === code);
        let reserved = 0;
        const incoming = new Map<string, number>();
        for (const move of moveRows) {
          if (move['product.']?.code !== code) continue;
          const from = move['from_location.']?.warehouse ?? null;
          const to = move['to_location.']?.warehouse ?? null;
          const qty = move.internal_quantity ?? 0;
          if (from === w.id && to !== w.id) reserved += qty;
          if (to === w.id && from !== w.id && qty > 0) {
            const day = move.planned_date ?? today;
            incoming.set(day, (incoming.get(day) ?? 0) + qty);
          }
        }
        return {
          code: w.code ?? String(w.id),
          onHand: here?.quantity ?? 0,
          reserved,
          safetyStock: 0,
          incoming: [...incoming].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([day, q]) => ({ date: day, quantity: q })),
        };
      });
      found.set(code, { sku: code, leadTimeDays: null, warehouses: stocks });
    }
  }
  return skus.map(
    (sku) => found.get(sku) ?? new ErpError('ERP_NOT_FOUND', `Item ${sku} does not exist in Tryton (no active product with this code)`, { operation }),
  );
}
