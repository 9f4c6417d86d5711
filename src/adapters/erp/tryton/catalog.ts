/**
 * Items from Tryton's products (`product.product`): the SKU is the product's code. One
 * `search_read` with an `in` domain answers a whole batch; a search is a `search_read` page plus a
 * `search_count`.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions, Item, ItemSearch, ItemSearchPage } from '../../../ports/erp-connector.ts';
import { ErpError } from '../../../ports/erp-error.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { unitCode } from './units.ts';
import { flag, id, optionalText, parseAnswer, related } from './values.ts';

const PRODUCT_FIELDS = ['code', 'name', 'description', 'salable', 'sale_uom.symbol', 'default_uom.symbol', 'account_category.name', 'categories.name'];

const ProductRow = z.object({
  id,
  code: z.string().min(1, { error: 'expected a product code' }),
  name: z.string(),
  description: optionalText,
  salable: flag,
  'sale_uom.': related({ symbol: z.string() }),
  'default_uom.': related({ symbol: z.string() }),
  'account_category.': related({ name: z.string() }),
  // A many2many read dotted answers the related records as a list.
  'categories.': z.array(z.object({ id, name: z.string() })).optional(),
});
const ProductRows = z.array(ProductRow);

function toItem(row: z.output<typeof ProductRow>): Item {
  const unit = row['sale_uom.'] ?? row['default_uom.'];
  return {
    sku: row.code,
    name: row.name,
    description: row.description ?? '',
    unitOfMeasure: unitCode(unit?.symbol ?? 'u'),
    // The first product category, else the accounting category (the demo's only one).
    category: row['categories.']?.[0]?.name ?? row['account_category.']?.name ?? '',
    salable: row.salable,
    // Tryton sells any salable product to any customer; a price list does not restrict it.
    restrictedToPriceLists: null,
  };
}

/** `getItems`: one entry per SKU; a code Tryton does not know (or not active) is `ERP_NOT_FOUND`. */
export async function getItems(rpc: TrytonRpc, skus: readonly string[], options?: ErpCallOptions): Promise<Array<Item | Error>> {
  const operation = 'getItems';
  const unique = [...new Set(skus)].filter((s) => s !== '');
  const found = new Map<string, Item>();
  if (unique.length > 0) {
    const rows = parseAnswer(
      ProductRows,
      await rpc.model(operation, 'product.product', 'search_read', [[['code', 'in', unique]], 0, null, [['id', 'ASC']], PRODUCT_FIELDS], {}, options),
      operation,
      'products',
    );
    // Tryton does not force codes to be unique: the oldest product with the code is the item.
    for (const row of rows) if (!found.has(row.code)) found.set(row.code, toItem(row));
  }
  return skus.map(
    (sku) => found.get(sku) ?? new ErpError('ERP_NOT_FOUND', `Item ${sku} does not exist in Tryton (no active product with this code)`, { operation }),
  );
}

/** Escapes `%` and `_` for an `ilike` pattern. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `searchItems`: salable and not, matched on code, name and description; ordered by code. */
export async function searchItems(rpc: TrytonRpc, search: ItemSearch, options?: ErpCallOptions): Promise<ItemSearchPage> {
  const operation = 'searchItems';
  if (!Number.isInteger(search.offset) || search.offset < 0 || !Number.isInteger(search.limit) || search.limit < 0) {
    throw new TypeError(`searchItems: offset and limit must be integers >= 0, got ${search.offset} and ${search.limit}`);
  }
  const domain: unknown[] = [['code', '!=', null]];
  if (search.text) {
    const pattern = likePattern(search.text);
    domain.push(['OR', ['code', 'ilike', pattern], ['name', 'ilike', pattern], ['description', 'ilike', pattern]]);
  }
  if (search.category) {
    domain.push(['OR', ['categories.name', '=', search.category], ['account_category.name', '=', search.category]]);
  }
  const [rows, total] = await Promise.all([
    search.limit === 0
      ? Promise.resolve([])
      : rpc.model(
          operation,
          'product.product',
          'search_read',
          [
            domain,
            search.offset,
            search.limit,
            [
              ['code', 'ASC'],
              ['id', 'ASC'],
            ],
            PRODUCT_FIELDS,
          ],
          {},
          options,
        ),
    rpc.model(operation, 'product.product', 'search_count', [domain], {}, options),
  ]);
  return {
    items: parseAnswer(ProductRows, rows, operation, 'products').map(toItem),
    total: parseAnswer(z.number().int().nonnegative(), total, operation, 'product count'),
  };
}
