/**
 * A customer's credit position from the ERP's figures: exposure and available credit.
 *
 * @module
 */
import type { CreditFigures, CurrencyCode, DecimalString } from '../../ports/erp-connector.ts';
import { Big, money, sum, type Money } from '../money.ts';

export interface CreditStatus {
  /** `null`: the ERP sets this customer no limit. */
  limit: Money | null;
  balance: Money;
  openOrders: Money;
  /** Everything the customer owes or has ordered: balance + open orders + orders not yet in the ERP. */
  exposure: Money;
  /** What the customer may still order on account: limit − exposure, never below zero; `null` without a limit. */
  available: Money | null;
  /** How far exposure is over the limit; zero when within it. */
  overLimit: Money;
  onHold: boolean;
  holdReason: string | null;
}

/**
 * Computes exposure and available credit. `pendingOrders` are amounts accepted by erpfront but not
 * yet in the ERP (queued while it is down): they are exposure the ERP cannot see yet.
 */
export function creditStatus(figures: CreditFigures, currency: CurrencyCode, pendingOrders: ReadonlyArray<DecimalString> = []): CreditStatus {
  const exposure = sum([figures.balance, figures.openOrders]).plus(sum(pendingOrders));
  const zero = new Big(0);
  // No limit: nothing to run out of, and never over it.
  const headroom = figures.limit === null ? null : new Big(figures.limit).minus(exposure);
  return {
    limit: figures.limit === null ? null : money(figures.limit, currency),
    balance: money(figures.balance, currency),
    openOrders: money(figures.openOrders, currency),
    exposure: money(exposure, currency),
    available: headroom === null ? null : money(headroom.gt(zero) ? headroom : zero, currency),
    overLimit: money(headroom?.lt(zero) ? headroom.neg() : zero, currency),
    onHold: figures.onHold,
    holdReason: figures.holdReason,
  };
}
