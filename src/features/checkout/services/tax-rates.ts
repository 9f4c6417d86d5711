/**
 * The tax rates the ERP applied at checkout, kept per customer and ship-to region so a preview
 * while the ERP does not answer can estimate tax from the last known rate — marked stale, with
 * when the ERP applied it — instead of leaving it out or making one up. Keyed by customer too:
 * the ERP's tax depends on the customer (exemptions, its tax rules), not on the region alone.
 *
 * The rate is the ERP's own when its answer says it (`ErpOrderTotals.taxRate`), otherwise the
 * effective rate read off the answer: tax ÷ (subtotal + shipping).
 *
 * @module
 */
import { Big, formatAmount, type Money } from '../../../domain/money.ts';
import type { Address, ErpOrderTotals } from '../../../ports/erp-connector.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { ReadThroughCache } from '../../../services/read-through-cache.ts';
import { loggableError } from '../../../domain/loggable-error.ts';

/** How long a rate may stand in for the ERP's tax: rates change a few times a year. */
export const TAX_RATE_MAX_AGE_MS = 30 * 86_400_000;

/** A rate the ERP applied, as kept. */
export interface KnownTaxRate {
  /** A decimal fraction: `0.0475` is 4.75 %. */
  rate: string;
  /** When the ERP applied it (UTC ISO 8601). */
  asOf: string;
  /** The ship-to's tax region: the country, with the state or province when there is one (`US-NC`). */
  region: string;
}

/** The tax region of an address: `US-NC`, `DE`. */
export function taxRegion(address: Pick<Address, 'country' | 'region'>): string {
  return address.region ? `${address.country}-${address.region}` : address.country;
}

const key = (customerId: string, region: string) => `taxRates:${customerId}:${region}`;

/** The rate the ERP applied to these totals; `null` when nothing was taxable (no rate to learn). */
export function appliedRate(totals: ErpOrderTotals): string | null {
  if (totals.taxRate !== undefined) return new Big(totals.taxRate).toFixed();
  const base = new Big(totals.subtotal).plus(totals.shipping);
  return base.eq(0) ? null : new Big(totals.tax).div(base).round(10, Big.roundHalfEven).toFixed();
}

/** Keeps the rate of the ERP's totals for the customer's ship-to region. Best effort: never fails the preview. */
export async function keepTaxRate(cache: ReadThroughCache, customerId: string, shipTo: Address, totals: ErpOrderTotals, log: Logger): Promise<void> {
  const rate = appliedRate(totals);
  if (rate === null) return;
  await cache.remember(key(customerId, taxRegion(shipTo)), rate, TAX_RATE_MAX_AGE_MS).catch((error: unknown) => {
    log.warn('the tax rate of a checkout could not be kept', { customerId, err: loggableError(error) });
  });
}

/** The last rate the ERP applied for the customer's ship-to region, within its age; `null` when none is known. */
export async function lastTaxRate(cache: ReadThroughCache, customerId: string, shipTo: Address, log: Logger): Promise<KnownTaxRate | null> {
  const region = taxRegion(shipTo);
  try {
    const kept = await cache.recall<string>(key(customerId, region), TAX_RATE_MAX_AGE_MS);
    return kept ? { rate: kept.value, asOf: kept.asOf, region } : null;
  } catch (error) {
    log.warn('the last tax rate could not be read', { customerId, err: loggableError(error) });
    return null;
  }
}

/** Tax on `subtotal` at `rate`, rounded half-even to the currency's minor unit. */
export function estimateTax(subtotal: Money, rate: KnownTaxRate): Money {
  return { amount: formatAmount(new Big(subtotal.amount).times(rate.rate), subtotal.currency), currency: subtotal.currency };
}
