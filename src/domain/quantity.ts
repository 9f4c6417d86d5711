/**
 * What a requested quantity may be.
 *
 * @module
 */
import { DomainError } from './errors.ts';

/**
 * Checks a requested quantity: a finite number above zero and at most `max`. A quantity of zero
 * or below has no price; a huge one is a typo or an attack, never an order.
 */
export function validQuantity(quantity: number | null | undefined, max: number): number {
  const value = quantity ?? 1;
  if (!Number.isFinite(value)) throw new DomainError('INVALID_QUANTITY', `Quantity must be a finite number, got ${value}.`);
  if (value <= 0) throw new DomainError('INVALID_QUANTITY', `Quantity must be greater than zero, got ${value}.`);
  if (value > max) throw new DomainError('INVALID_QUANTITY', `Quantity must be at most ${max}, got ${value}.`);
  return value;
}
