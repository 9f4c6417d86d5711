/**
 * How the sandbox ERP totals an order: the lines (each rounded half-even to cents), a sales tax
 * by the ship-to's region (a US state, or the country's VAT in the EU), and a shipping charge.
 * One function for the orders it enters and for the totals it quotes at checkout
 * (`POST /api/v1/checkout/totals`), so a preview and the order then placed cannot disagree.
 *
 * @module
 */
import Big from 'big.js';
import type { Address, ErpOrderRequest, ErpOrderTotals } from '../ports/erp-connector.ts';
import { orderTotal } from './order-rules.ts';

/** Sales tax by US state (state rate only) and VAT by EU country, as fractions. */
export const TAX_RATES: Readonly<Record<string, string>> = {
  'US-IL': '0.0625',
  'US-TX': '0.0625',
  'US-OH': '0.0575',
  'US-NC': '0.0475',
  'US-IN': '0.07',
  'US-WI': '0.05',
  'US-CO': '0.029',
  'US-GA': '0.04',
  'US-MI': '0.06',
  'US-TN': '0.07',
  'US-AZ': '0.056',
  'US-PA': '0.06',
  'US-MO': '0.04225',
  'US-KY': '0.06',
  'US-CA': '0.0725',
  // Oregon has no sales tax.
  'US-OR': '0',
  DE: '0.19',
  NL: '0.21',
  FR: '0.20',
  IT: '0.22',
  BE: '0.21',
  AT: '0.20',
};

/** Orders whose lines come to this much ship free; others pay the flat charge. */
export const FREE_SHIPPING_FROM = '500.00';
export const SHIPPING_CHARGE = '25.00';

/** The tax region of an address: `US-IL` for a US state, the country code elsewhere. */
export function taxRegion(address: Pick<Address, 'country' | 'region'>): string {
  return address.country === 'US' && address.region ? `US-${address.region}` : address.country;
}

/** The tax rate of an address; a region the table does not know is taxed at 0 (and says so in `TAX_RATES`). */
export function taxRate(address: Pick<Address, 'country' | 'region'>): Big {
  return new Big(TAX_RATES[taxRegion(address)] ?? '0');
}

/**
 * The order's totals shipped to `address`: tax on the lines and on shipping (as most US states
 * and EU VAT tax a delivery charge), rounded half-even to cents once per order.
 */
export function orderTotals(lines: ErpOrderRequest['lines'], address: Pick<Address, 'country' | 'region'>, currency: string): ErpOrderTotals {
  const subtotal = new Big(orderTotal(lines));
  const shipping = subtotal.gte(FREE_SHIPPING_FROM) ? new Big(0) : new Big(SHIPPING_CHARGE);
  const tax = subtotal.plus(shipping).times(taxRate(address)).round(2, Big.roundHalfEven);
  return {
    subtotal: subtotal.toFixed(2),
    tax: tax.toFixed(2),
    shipping: shipping.toFixed(2),
    total: subtotal.plus(shipping).plus(tax).toFixed(2),
    currency,
    // One rate per order here (the ship-to region's): said, as an ERP's tax lines would say it.
    taxRate: taxRate(address).toString(),
  };
}
