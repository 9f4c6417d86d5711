/**
 * Prices a PunchOut cart for its return to the procurement system: the same buyer prices and
 * availability the GraphQL API shows that customer (the request's own scope, the one pricing
 * service), plus what a requisition line needs — description, unit, classification, lead time.
 *
 * @module
 */
import { computeAvailability } from '../../../domain/atp/availability.ts';
import { utcDate } from '../../../domain/atp/calendar.ts';
import { Big, formatAmount, type Money } from '../../../domain/money.ts';
import type { PunchOutCartLine } from '../domain/session.ts';
import type { CurrencyCode, Item } from '../../../ports/erp-connector.ts';
import { quoteBuyerPrice } from '../../../services/buyer-pricing.ts';
import type { RequestScope } from '../../../services/request-scope.ts';

export interface PricedCartLine {
  sku: string;
  quantity: number;
  name: string;
  description: string;
  /** UN/CEFACT Rec. 20 unit code, as the ERP sells the item. */
  unitOfMeasure: string;
  unitPrice: Money;
  /** UNSPSC segment/family of the item's category (`null` when unmapped). */
  unspsc: string | null;
  category: string;
  /** Whole days until the quantity can ship (0 from stock); `null` when it cannot be promised. */
  leadTimeDays: number | null;
}

export interface PricedCart {
  lines: PricedCartLine[];
  total: Money;
  currency: CurrencyCode;
}

/**
 * UNSPSC families for the sandbox ERP's categories. A real catalogue carries its own codes; this
 * table is the fallback procurement systems need to file the requisition somewhere sensible.
 */
const UNSPSC_BY_CATEGORY: Readonly<Record<string, string>> = {
  Fasteners: '31160000',
  Electrical: '39120000',
  Safety: '46180000',
  Tools: '27110000',
  Abrasives: '31190000',
  Adhesives: '31200000',
  Lubricants: '15120000',
  'Material Handling': '24100000',
  Packaging: '24110000',
  Plumbing: '40140000',
};

const DAY_MS = 86_400_000;

/** Prices `lines` for `customerId`; an ERP or domain failure propagates (the caller reports it). */
export async function priceCart(scope: RequestScope, customerId: string, lines: readonly PunchOutCartLine[], now: number): Promise<PricedCart> {
  const { reader } = scope;
  const account = (await reader.account(customerId)).value;
  const today = utcDate(now);
  const priced = await Promise.all(
    lines.map(async (line): Promise<PricedCartLine> => {
      const item: Item = (await reader.item(line.sku)).value;
      const [quote, stock] = await Promise.all([quoteBuyerPrice(scope, account, item, line.quantity), reader.stock(item.sku)]);
      const atp = computeAvailability(stock.value, line.quantity, { today });
      const leadTimeDays =
        atp.promiseDate === null ? null : Math.max(0, Math.round((Date.parse(`${atp.promiseDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS));
      return {
        sku: item.sku,
        quantity: line.quantity,
        name: item.name,
        description: item.description,
        unitOfMeasure: item.unitOfMeasure,
        unitPrice: quote.unitPrice,
        unspsc: UNSPSC_BY_CATEGORY[item.category] ?? null,
        category: item.category,
        leadTimeDays,
      };
    }),
  );
  const total = priced.reduce((sum, l) => sum.plus(new Big(l.unitPrice.amount).times(l.quantity)), new Big(0));
  return { lines: priced, total: { amount: formatAmount(total, account.currency), currency: account.currency }, currency: account.currency };
}
