/**
 * Decimal money arithmetic. Amounts travel as decimal strings and are computed with big.js, so a
 * price is never rounded through a binary float.
 *
 * @module
 */
import Big from 'big.js';
import type { CurrencyCode, DecimalString } from '../ports/erp-connector.ts';

/** An amount in a currency. `amount` is a decimal string such as `"12.50"`. */
export interface Money {
  amount: DecimalString;
  currency: CurrencyCode;
}

/** Minor-unit digits for the currencies erpfront formats; two for anything not listed. */
const CURRENCY_SCALE: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };

/** Formats a decimal to the currency's minor unit, rounding half-even (banker's rounding). */
export function formatAmount(value: Big, currency: CurrencyCode): DecimalString {
  return value.toFixed(CURRENCY_SCALE[currency] ?? 2, Big.roundHalfEven);
}

/** The currency's smallest unit: 0.01 for USD, 1 for JPY. */
export function minorUnit(currency: CurrencyCode): Big {
  return new Big(1).div(10 ** (CURRENCY_SCALE[currency] ?? 2));
}

const TWO_DECIMALS = /^-?\d+\.\d\d$/;

export function money(amount: Big | DecimalString, currency: CurrencyCode): Money {
  // ERPs mostly send amounts already at the currency's scale: keep those strings as they are
  // rather than parse and format them again on every read.
  if (typeof amount === 'string' && TWO_DECIMALS.test(amount) && !(currency in CURRENCY_SCALE)) return { amount, currency };
  const value = typeof amount === 'string' ? new Big(amount) : amount;
  return { amount: formatAmount(value, currency), currency };
}

export function sum(amounts: ReadonlyArray<DecimalString>): Big {
  return amounts.reduce((total, amount) => total.plus(amount), new Big(0));
}

export { Big };

/**
 * An amount in millionths, as an integer string: how stores keep running totals exactly (SQLite
 * INTEGER, Redis HINCRBY), never as a binary float. Amounts carry at most six decimals.
 */
export function toMicros(amount: DecimalString): string {
  return new Big(amount).times(1_000_000).round(0, Big.roundHalfEven).toFixed(0);
}

/** The decimal amount of a count of millionths. */
export function fromMicros(micros: string | number | bigint): DecimalString {
  return new Big(String(micros)).div(1_000_000).toString();
}
